import type { AccessConfig } from '../access-config.js';
import { apiKeyCaller, findApiKey } from './api-keys.js';
import { anonymousCaller, type Caller } from './caller.js';
import { UnauthenticatedError } from './errors.js';
import { createJwtVerifier, type JwtVerifier } from './jwt.js';

/** Who a request comes from, or why it cannot be known. */
export type Authentication = { caller: Caller } | { refusal: UnauthenticatedError };

export interface Authenticator {
  /**
   * From an `Authorization` header value (or graphql-ws's connectionParams.authorization).
   * Answered at once, not as a promise, when no credential needs checking: the laptop's every request.
   */
  authenticate(authorization: unknown): Authentication | Promise<Authentication>;
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Turns a request's credential into its caller: an API key (GATER_API_KEYS,
 * GATER_API_KEYS_FILE) or a JWT, or the anonymous role when none is sent.
 */
export function createAuthenticator(config: AccessConfig): Authenticator {
  const jwt: JwtVerifier | undefined = config.jwt ? createJwtVerifier(config.jwt) : undefined;
  const anonymous: Authentication = config.anonymousRole
    ? { caller: anonymousCaller(config.anonymousRole) }
    : { refusal: new UnauthenticatedError('a credential is needed: send Authorization: Bearer <API key or token>') };
  const checksCredentials = config.apiKeys.length > 0 || jwt !== undefined;

  function authenticate(authorization: unknown): Authentication | Promise<Authentication> {
    // With no key and no token configured there is nothing to check a credential against: it is ignored.
    if (!checksCredentials || authorization === undefined || authorization === null || authorization === '') return anonymous;
    return check(authorization);
  }

  async function check(authorization: unknown): Promise<Authentication> {
    const credential = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
    if (credential === undefined) return { refusal: new UnauthenticatedError('the credential must be sent as "Bearer <API key or token>"') };
    const grant = findApiKey(config.apiKeys, credential);
    if (grant) return { caller: apiKeyCaller(grant) };
    if (jwt && JWT_SHAPE.test(credential)) {
      try {
        return { caller: await jwt(credential) };
      } catch (error) {
        return { refusal: error as UnauthenticatedError };
      }
    }
    return { refusal: new UnauthenticatedError('the credential is not a known API key or a valid token') };
  }

  return { authenticate };
}
