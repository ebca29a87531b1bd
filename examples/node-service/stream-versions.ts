import type { ApolloClient } from '@apollo/client';
import { graphql } from '../generated/gql.js';
import type { StreamVersionsQuery } from '../generated/graphql.js';

const STREAM_VERSIONS = graphql(`
  query StreamVersions($id: String!, $store: ID!) {
    mine: stream(id: $id) { store id version exists }
    theirs: stream(store: $store, id: $id) { store id version exists }
    cluster { id status }
  }
`);

export type StreamVersions = StreamVersionsQuery;

/** The same stream id in the default store and in `store`, in one query, through the cache. */
export async function streamVersions(apollo: ApolloClient, id: string, store: string): Promise<StreamVersions> {
  const { data } = await apollo.query({ query: STREAM_VERSIONS, variables: { id, store }, fetchPolicy: 'network-only' });
  if (!data) throw new Error(`stream ${id} answered no data`);
  return data;
}
