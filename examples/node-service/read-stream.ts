import type { ApolloClient } from '@apollo/client';
import { graphql } from '../generated/gql.js';
import type { StreamPageQuery } from '../generated/graphql.js';

export const STREAM_PAGE = graphql(`
  query StreamPage($store: ID, $id: String!, $first: Int, $after: String) {
    stream(store: $store, id: $id) {
      store
      id
      version
      events(first: $first, after: $after) {
        edges { node { store id version position type data } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export type StreamEvent = StreamPageQuery['stream']['events']['edges'][number]['node'];

/** Every event of a stream, forward, `pageSize` at a time, each page after the last one's `endCursor`. */
export async function readStream(apollo: ApolloClient, id: string, { store, pageSize = 100 }: { store?: string; pageSize?: number } = {}): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  let after: string | null | undefined;
  for (;;) {
    const { data } = await apollo.query({ query: STREAM_PAGE, variables: { store, id, first: pageSize, after }, fetchPolicy: 'network-only' });
    if (!data) throw new Error(`stream ${id} answered no data`);
    const page = data.stream.events;
    events.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return events;
    after = page.pageInfo.endCursor;
  }
}
