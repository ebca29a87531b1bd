import { dataOf, type GraphQLResponse } from './test-gateway.js';

/** The GraphQL documents and helpers of the stream-metadata and retention tests. */

export interface StreamMetadataView {
  maxCount: number | null;
  maxAgeSeconds: number | null;
  truncateBefore: number | null;
  custom: unknown;
}

export interface StreamMetadataInput {
  store?: string;
  streamId: string;
  maxCount?: number | null;
  maxAgeSeconds?: number | null;
  truncateBefore?: number | null;
  custom?: unknown;
}

export const SET_STREAM_METADATA = /* GraphQL */ `
  mutation SetStreamMetadata($input: StreamMetadataInput!) {
    setStreamMetadata(input: $input) { maxCount maxAgeSeconds truncateBefore custom }
  }
`;

export const STREAM_METADATA = /* GraphQL */ `
  query StreamMetadata($store: ID, $id: String!) {
    stream(store: $store, id: $id) { id version exists metadata { maxCount maxAgeSeconds truncateBefore custom } }
  }
`;

interface Client {
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

export async function setStreamMetadata(client: Client, input: StreamMetadataInput): Promise<StreamMetadataView> {
  return dataOf(await client.gql<{ setStreamMetadata: StreamMetadataView }>(SET_STREAM_METADATA, { input })).setStreamMetadata;
}
