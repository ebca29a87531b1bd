import { EVENT_FIELDS, type EventView, type NewEventInput } from './queries.js';
import { dataOf, type GraphQLResponse } from './test-gateway.js';

/** The GraphQL documents and helpers of the stream-deletion, multi-stream and conditional-append tests. */

interface Client {
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

type StreamStateArg = 'ANY' | 'NO_STREAM' | 'STREAM_EXISTS';

export interface ConditionInput {
  failIfEventsMatch: { eventTypes?: string[]; streamPrefix?: string; pattern?: unknown };
  after?: number;
}

export interface StreamAppendInput {
  streamId: string;
  expectedVersion?: number;
  expectedState?: StreamStateArg;
  events: NewEventInput[];
}

export interface ConditionalAppendInput extends StreamAppendInput {
  store?: string;
  condition?: ConditionInput;
}

type StreamSuccess = { __typename: 'AppendEventsSuccess'; streamId: string; version: number; position: number; events: EventView[] };
type Refusal =
  | { __typename: 'WrongExpectedVersionError'; message: string; streamId: string; expected: string; actualVersion: number }
  | { __typename: 'StreamDeletedError'; message: string; streamId: string }
  | { __typename: 'AppendConditionFailedError'; message: string; position: number };

export type AppendAnswer = StreamSuccess | Refusal;
export type AppendToStreamsAnswer = { __typename: 'AppendToStreamsSuccess'; position: number; streams: StreamSuccess[] } | Refusal;
export type DeleteAnswer =
  | { __typename: 'DeleteStreamSuccess'; streamId: string; erasedEvents: number }
  | Exclude<Refusal, { __typename: 'AppendConditionFailedError' }>;

const REFUSALS = /* GraphQL */ `
  ... on WrongExpectedVersionError { message streamId expected actualVersion }
  ... on StreamDeletedError { message streamId }
  ... on AppendConditionFailedError { message position }
`;

export const APPEND_WITH_CONDITION = /* GraphQL */ `
  mutation AppendWithCondition($input: AppendEventsInput!) {
    appendEvents(input: $input) {
      __typename
      ... on AppendEventsSuccess { streamId version position events { ...EventFields } }
      ${REFUSALS}
    }
  }
  ${EVENT_FIELDS}
`;

export const APPEND_TO_STREAMS = /* GraphQL */ `
  mutation AppendToStreams($input: AppendToStreamsInput!) {
    appendToStreams(input: $input) {
      __typename
      ... on AppendToStreamsSuccess { position streams { streamId version position events { ...EventFields } } }
      ${REFUSALS}
    }
  }
  ${EVENT_FIELDS}
`;

export const DELETE_STREAM = /* GraphQL */ `
  mutation DeleteStream($input: DeleteStreamInput!) {
    deleteStream(input: $input) {
      __typename
      ... on DeleteStreamSuccess { streamId erasedEvents }
      ... on WrongExpectedVersionError { message streamId expected actualVersion }
      ... on StreamDeletedError { message streamId }
    }
  }
`;

export const STREAM_STATE = /* GraphQL */ `
  query StreamState($id: String!) {
    stream(id: $id) { id version exists deleted events { edges { node { id version } } } }
    streamVersion(streamId: $id)
  }
`;

export interface StreamStateView {
  stream: { id: string; version: number; exists: boolean; deleted: boolean; events: { edges: { node: { id: string; version: number } }[] } };
  streamVersion: number;
}

export async function appendWithCondition(client: Client, input: ConditionalAppendInput): Promise<AppendAnswer> {
  return dataOf(await client.gql<{ appendEvents: AppendAnswer }>(APPEND_WITH_CONDITION, { input })).appendEvents;
}

export async function appendToStreams(
  client: Client,
  input: { store?: string; streams: StreamAppendInput[]; condition?: ConditionInput },
): Promise<AppendToStreamsAnswer> {
  return dataOf(await client.gql<{ appendToStreams: AppendToStreamsAnswer }>(APPEND_TO_STREAMS, { input })).appendToStreams;
}

export async function deleteStream(
  client: Client,
  input: { store?: string; streamId: string; expectedVersion?: number; expectedState?: StreamStateArg; hard?: boolean },
): Promise<DeleteAnswer> {
  return dataOf(await client.gql<{ deleteStream: DeleteAnswer }>(DELETE_STREAM, { input })).deleteStream;
}

export async function streamState(client: Client, id: string): Promise<StreamStateView> {
  return dataOf(await client.gql<StreamStateView>(STREAM_STATE, { id }));
}
