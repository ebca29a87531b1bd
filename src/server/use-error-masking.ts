import { GraphQLError } from 'graphql';
import type { YogaServerOptions } from 'graphql-yoga';
import type { Logger } from '../log.js';
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
 */
export function errorMasking(log: Logger): MaskedErrorsOption & { maskError: NonNullable<MaskedErrorsOption['maskError']> } {
  return {
    maskError(error, message) {
      if (isExpected(error)) return error as GraphQLError;
      const located = error instanceof GraphQLError ? error : undefined;
      const original = located ? (located.originalError ?? located) : error;
      const clientError = clientErrorOf(original);
      if (clientError) return toClientGraphQLError(located, clientError);
      const path = located?.path ? ` at ${located.path.join('.')}` : '';
      log.error(`unexpected error${path}`, original);
      return new GraphQLError(message, {
        nodes: located?.nodes,
        path: located?.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    },
  };
}
