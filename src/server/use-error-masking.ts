import { GraphQLError } from 'graphql';
import type { YogaServerOptions } from 'graphql-yoga';
import type { Logger } from '../log.js';

type MaskedErrorsOption = Exclude<NonNullable<YogaServerOptions<object, object>['maskedErrors']>, boolean>;

function isExpected(error: unknown): boolean {
  return error instanceof GraphQLError && (error.originalError === undefined || error.originalError instanceof GraphQLError);
}

/**
 * Expected failures (GraphQL errors with a code) reach the client as they are.
 * Anything else is a bug: the client gets a generic message and the operator
 * gets the cause in the log.
 */
export function errorMasking(log: Logger): MaskedErrorsOption & { maskError: NonNullable<MaskedErrorsOption['maskError']> } {
  return {
    maskError(error, message) {
      if (isExpected(error)) return error as GraphQLError;
      const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
      const path = error instanceof GraphQLError && error.path ? ` at ${error.path.join('.')}` : '';
      log.error(`unexpected error${path}`, original);
      return new GraphQLError(message, {
        nodes: error instanceof GraphQLError ? error.nodes : undefined,
        path: error instanceof GraphQLError ? error.path : undefined,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    },
  };
}
