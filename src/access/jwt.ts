import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, type JwtSettings, type Role } from '../access-config.js';
import { StreamScope } from '../store/stream-scope.js';
import type { Caller } from './caller.js';
import { UnauthenticatedError } from './errors.js';

export type JwtVerifier = (token: string) => Promise<Caller>;

/** Strings, or absent: the claim's `stores` and `streams`. */
function optionalList(value: unknown, what: string): string[] | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new UnauthenticatedError(`the token's ${what} must be a list of strings`);
}

function callerOf(payload: JWTPayload, claimName: string): Caller {
  const claim = payload[claimName] as { role?: unknown; stores?: unknown; streams?: unknown; trustedDocumentsOnly?: unknown } | undefined;
  if (typeof claim !== 'object' || claim === null) throw new UnauthenticatedError(`the token carries no "${claimName}" claim`);
  if (typeof claim.role !== 'string' || !(ROLES as readonly string[]).includes(claim.role)) {
    throw new UnauthenticatedError(`the token's ${claimName}.role must be one of ${ROLES.join(', ')}`);
  }
  if (claim.trustedDocumentsOnly !== undefined && typeof claim.trustedDocumentsOnly !== 'boolean') {
    throw new UnauthenticatedError(`the token's ${claimName}.trustedDocumentsOnly must be true or false`);
  }
  const caller: Caller = {
    name: typeof payload.sub === 'string' ? `jwt:${payload.sub}` : 'jwt',
    role: claim.role as Role,
    stores: optionalList(claim.stores, `${claimName}.stores`),
    scope: StreamScope.of(optionalList(claim.streams, `${claimName}.streams`)),
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
  };
  if (claim.trustedDocumentsOnly) caller.trustedDocumentsOnly = true;
  return caller;
}

/** Why a token was refused, in words a client can act on; never the token. */
function refusal(error: unknown): UnauthenticatedError {
  if (error instanceof UnauthenticatedError) return error;
  if (error instanceof errors.JWTExpired) return new UnauthenticatedError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) return new UnauthenticatedError(`the token's "${error.claim}" claim is not accepted: ${error.message}`);
  if (error instanceof errors.JOSEAlgNotAllowed) return new UnauthenticatedError('the token is signed with an algorithm that is not accepted');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new UnauthenticatedError('the token signature is not valid');
  if (error instanceof errors.JWKSNoMatchingKey) return new UnauthenticatedError('the token is signed with a key that is not published');
  return new UnauthenticatedError('the token is not valid');
}

/**
 * Verifies tokens with jose: HS256 with the shared secret, or RS256/ES256
 * with the keys published at the JWKS URL (fetched once and cached, fetched
 * again when a token names a key not yet seen). Issuer and audience are
 * checked when configured; `exp` and `nbf` always.
 */
export function createJwtVerifier(settings: JwtSettings): JwtVerifier {
  const remoteKeys: JWTVerifyGetKey | undefined = settings.jwksUrl ? createRemoteJWKSet(settings.jwksUrl, { cooldownDuration: settings.jwksCooldownMs }) : undefined;
  const options = { issuer: settings.issuer, audience: settings.audience };
  return async (token) => {
    try {
      const { payload } =
        settings.secret && (!remoteKeys || headerAlgorithm(token) === 'HS256')
          ? await jwtVerify(token, settings.secret, { ...options, algorithms: ['HS256'] })
          : await jwtVerify(token, remoteKeys!, { ...options, algorithms: ['RS256', 'ES256'] });
      return callerOf(payload, settings.claim);
    } catch (error) {
      throw refusal(error);
    }
  };
}

/** The `alg` a token says it uses: only to pick which key set to try; jose checks it again. */
function headerAlgorithm(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { alg?: unknown };
    return typeof header.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}
