import type { ApolloClient } from '@apollo/client';
import { graphql } from '../generated/gql.js';
import type { AppendWithExpectedVersionMutation, NewEvent } from '../generated/graphql.js';

const APPEND = graphql(`
  mutation AppendWithExpectedVersion($input: AppendEventsInput!) {
    appendEvents(input: $input) {
      __typename
      ... on AppendEventsSuccess { streamId version position }
      ... on WrongExpectedVersionError { message streamId expected actualVersion }
      ... on StreamDeletedError { message streamId }
      ... on AppendConditionFailedError { message position }
    }
  }
`);

export type AppendOutcome = { ok: true; version: number; position: number } | { ok: false; actualVersion: number; message: string };

type AppendResult = AppendWithExpectedVersionMutation['appendEvents'];

/** Appends if the stream is still at `expectedVersion` (-1: it must not exist). */
export async function appendExpecting(apollo: ApolloClient, streamId: string, expectedVersion: number, events: NewEvent[], store?: string): Promise<AppendOutcome> {
  const { data } = await apollo.mutate({ mutation: APPEND, variables: { input: { store, streamId, expectedVersion, events } } });
  if (!data) throw new Error(`appendEvents to ${streamId} answered no data`);
  return outcome(data.appendEvents);
}

/** Every member of the union is handled: a new one fails to compile here, not at run time. */
function outcome(result: AppendResult): AppendOutcome {
  switch (result.__typename) {
    case 'AppendEventsSuccess':
      return { ok: true, version: result.version, position: result.position };
    case 'WrongExpectedVersionError':
      return { ok: false, actualVersion: result.actualVersion, message: result.message };
    case 'StreamDeletedError':
      // A tombstone: no version will ever be right again.
      return { ok: false, actualVersion: -1, message: result.message };
    case 'AppendConditionFailedError':
      // Not sent by this client (it gives no condition), but the union has it.
      return { ok: false, actualVersion: -1, message: result.message };
    default:
      return unhandled(result);
  }
}

function unhandled(result: never): never {
  throw new Error(`an append result this client does not know: ${JSON.stringify(result)}`);
}
