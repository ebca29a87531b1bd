import type { ApolloClient } from '@apollo/client';
import { graphql } from '../generated/gql.js';
import type { FollowAllSubscription } from '../generated/graphql.js';

const FOLLOW_ALL = graphql(`
  subscription FollowAll($store: ID, $fromPosition: Long) {
    byStream(store: $store, streamId: "$all", fromPosition: $fromPosition) { store id streamId version position type data }
  }
`);

export type LogEvent = FollowAllSubscription['byStream'];

/** Follows every stream of a store over graphql-ws, from `fromPosition` (inclusive) or from now. Answers a way to stop. */
export function followAll(apollo: ApolloClient, onEvent: (event: LogEvent) => void, { store, fromPosition }: { store?: string; fromPosition?: number } = {}): () => void {
  const subscription = apollo.subscribe({ query: FOLLOW_ALL, variables: { store, fromPosition } }).subscribe({
    next: ({ data, error }) => {
      if (error) throw error;
      if (data) onEvent(data.byStream);
    },
  });
  return () => subscription.unsubscribe();
}
