import { createHash, randomBytes } from 'node:crypto';
import { badUserInput } from './errors.js';

/** The request header naming a consumer over HTTP: a secret its client chose (graphql-ws clients send `consumerToken` in connectionParams). */
export const CONSUMER_TOKEN_HEADER = 'x-gater-consumer-token';

const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 512;

/**
 * The key a consumer's acks are checked against: the SHA-256 of its token,
 * so that the database never holds the token. Undefined without a token; a
 * token too short to be a secret is refused, naming `where` it came from.
 */
export function consumerKeyOf(token: unknown, where: string): Buffer | undefined {
  if (token === undefined || token === null) return undefined;
  if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH) {
    throw badUserInput(where, `must be a secret string of ${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} characters`);
  }
  return createHash('sha256').update(token).digest();
}

/** The key of a graphql-ws connection that sent no token: its own, so that only acks sent on it count. */
export function connectionConsumerKey(): Buffer {
  return randomBytes(32);
}
