import { GraphQLError } from 'graphql';
import { ClusterUnavailableError } from '../cluster/cluster-errors.js';
import { classifyStoreError } from '../store/errors.js';

/** An invalid argument; `field` is its path in the request, such as `input.events[2].type`. */
export function badUserInput(field: string, problem: string): GraphQLError {
  return new GraphQLError(`${field}: ${problem}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export function storeNotFound(storeId: string): GraphQLError {
  return new GraphQLError(`store "${storeId}" does not exist`, { extensions: { code: 'STORE_NOT_FOUND', store: storeId } });
}

export function subscriptionNotFound(name: string): GraphQLError {
  return new GraphQLError(`persistent subscription "${name}" does not exist`, {
    extensions: { code: 'SUBSCRIPTION_NOT_FOUND', subscription: name },
  });
}

export function clusterUnavailable(detail: string): GraphQLError {
  return new GraphQLError(`no healthy node can serve this request: ${detail}`, {
    extensions: { code: 'CLUSTER_UNAVAILABLE' },
  });
}

/** Turns a store failure that a client can act on into its GraphQL error; anything else stays a (masked) bug. */
export function toGraphQLError(error: unknown): unknown {
  if (error instanceof ClusterUnavailableError) return clusterUnavailable(error.message);
  switch (classifyStoreError(error)) {
    case 'unavailable':
      return clusterUnavailable('the database connection failed');
    case 'read_only':
      return clusterUnavailable('the node that was asked is read-only');
    default:
      return error;
  }
}

/** Runs a store call and rethrows its failure as the error a client should see. */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toGraphQLError(error);
  }
}
