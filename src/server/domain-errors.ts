import { GraphQLError } from 'graphql';
import { ClusterUnavailableError, WriteOutcomeUnknownError } from '../cluster/cluster-errors.js';
import { classifyDatabaseError } from '../cluster/database-errors.js';
import { ForbiddenError, UnauthenticatedError } from '../access/errors.js';
import { StoreNotFoundError, StreamOutOfScopeError, SubscriptionNotFoundError } from '../store/errors.js';
import { SubscriptionLimitError } from '../subscriptions/subscription-slots.js';
import { SlowConsumerError } from './send-room.js';
import { withoutStack } from '../refusal-error.js';

interface ClientError {
  message: string;
  extensions: Record<string, unknown>;
}

function unavailable(detail: string): ClientError {
  return { message: `no healthy node can serve this request: ${detail}`, extensions: { code: 'CLUSTER_UNAVAILABLE' } };
}

/**
 * What a client may be told of a failure it can act on: a missing or bad
 * credential, an operation its role or scopes do not allow, a store or a
 * subscription that does not exist, no node able to serve, or a write whose
 * outcome is not known. Null for
 * anything else, which is a bug and stays masked.
 */
export function clientErrorOf(error: unknown): ClientError | null {
  if (error instanceof UnauthenticatedError) return { message: error.message, extensions: { code: 'UNAUTHENTICATED' } };
  if (error instanceof ForbiddenError) return { message: error.message, extensions: { code: 'FORBIDDEN', missing: error.missing } };
  if (error instanceof StreamOutOfScopeError) {
    return { message: error.message, extensions: { code: 'FORBIDDEN', missing: `stream ${error.streamId}` } };
  }
  if (error instanceof StoreNotFoundError) {
    return { message: error.message, extensions: { code: 'STORE_NOT_FOUND', store: error.storeId } };
  }
  if (error instanceof SubscriptionNotFoundError) {
    return { message: error.message, extensions: { code: 'SUBSCRIPTION_NOT_FOUND', subscription: error.subscription } };
  }
  if (error instanceof SubscriptionLimitError) {
    return { message: error.message, extensions: { code: 'LIMIT_EXCEEDED', limit: error.limit, maximum: error.maximum } };
  }
  if (error instanceof SlowConsumerError) return { message: error.message, extensions: { code: 'SLOW_CONSUMER' } };
  if (error instanceof ClusterUnavailableError) return unavailable(error.clientMessage);
  if (error instanceof WriteOutcomeUnknownError) {
    return { message: `${error.message}; resending it with the same event ids is safe`, extensions: { code: 'WRITE_OUTCOME_UNKNOWN' } };
  }
  switch (classifyDatabaseError(error)) {
    case 'unavailable':
      return unavailable('the database connection failed');
    case 'read_only':
      return unavailable('the node that was asked is read-only');
    case 'pool_exhausted':
      return unavailable('the connection pool is exhausted (every connection stayed busy for as long as a request may wait); retry later');
    default:
      return null;
  }
}

/** The GraphQL error a client sees, at the place in the response where `located` happened; made without a stack trace, which nobody reads. */
export function toClientGraphQLError(located: GraphQLError | undefined, clientError: ClientError): GraphQLError {
  return withoutStack(
    () =>
      new GraphQLError(clientError.message, {
        nodes: located?.nodes,
        source: located?.source,
        positions: located?.positions,
        path: located?.path,
        extensions: clientError.extensions,
      }),
  );
}
