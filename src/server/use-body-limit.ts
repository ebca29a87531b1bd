import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from '../resolvers/errors.js';

/** The answer to a request body past the limit: 413, on the fast POST path and through yoga alike. */
export function bodyTooLarge(maxBytes: number): GraphQLError {
  return limitExceeded('GATER_MAX_BODY_BYTES', `a request body may be at most ${maxBytes} bytes`, { http: { status: 413 } });
}

const YOGA_CODE = 'REQUEST_ENTITY_TOO_LARGE';

/**
 * Yoga refuses a body past its `maxRequestBodySize` (given the same limit)
 * by Content-Length, or while it reads one of no stated length; this gives
 * its refusal the gateway's code and the name of the limit.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.some((error) => error.extensions?.code === YOGA_CODE)) return;
      setResult({ ...result, errors: result.errors.map((error) => (error.extensions?.code === YOGA_CODE ? bodyTooLarge(maxBytes) : error)) });
    },
  };
}
