import { GraphQLError } from 'graphql';
import type { YogaServerOptions } from 'graphql-yoga';
import type { Logger } from '../log.js';
import { OncePerInterval } from '../once-per-interval.js';
import { clientErrorOf, toClientGraphQLError } from './domain-errors.js';

type MaskedErrorsOption = Exclude<NonNullable<YogaServerOptions<object, object>['maskedErrors']>, boolean>;

function isExpected(error: unknown): boolean {
  return error instanceof GraphQLError && (error.originalError === undefined || error.originalError instanceof GraphQLError);
}

/**
 * The one place where failures become what the client sees. GraphQL errors
 * with a code (bad input) reach the client as they are; domain failures it can
 * act on (an unknown store, no healthy node) get their code; anything else is
 * a bug: the client gets a generic message and the operator the cause in the log.
 * A cause that floods (every request refused by an exhausted pool, one bug hit
 * by every subscriber) is logged once per interval, not once per request.
 */
export function errorMasking(log: Logger): MaskedErrorsOption & { maskError: NonNullable<MaskedErrorsOption['maskError']> } {
  const logged = new OncePerInterval();
  return {
    maskError(error, message) {
      if (isExpected(error)) return error as GraphQLError;
      const located = error instanceof GraphQLError ? error : undefined;
      const original = located ? (located.originalError ?? located) : error;
      const clientError = clientErrorOf(original);
      if (clientError) {
        if (clientError.extensions.code === 'CLUSTER_UNAVAILABLE') {
          const admitted = logged.admit(clientError.message);
          if (admitted) log.info(`request refused: ${clientError.message}${OncePerInterval.suffix(admitted)}`);
        }
        return toClientGraphQLError(located, clientError);
      }
      const path = located?.path ? ` at ${located.path.join('.')}` : '';
      const admitted = logged.admit(`${path} ${original instanceof Error ? original.message : String(original)}`);
      if (admitted) log.error(`unexpected error${path}${OncePerInterval.suffix(admitted)}`, original);
      return new GraphQLError(message, {
        nodes: located?.nodes,
        path: located?.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    },
  };
}
