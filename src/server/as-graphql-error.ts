import { GraphQLError } from 'graphql';

/** A thrown value as a GraphQLError, for the masking: itself when it is one, else one made of its message with it as the original. */
export function asGraphQLError(error: unknown): GraphQLError {
  return error instanceof GraphQLError ? error : new GraphQLError((error as Error)?.message ?? String(error), { originalError: error as Error });
}
