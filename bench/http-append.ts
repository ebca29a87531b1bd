import { postJson } from './http-post.js';
import { runLoad } from './load.js';
import { sampleEvent } from './sample-event.js';

const APPEND = `mutation Append($input: AppendEventsInput!) {
  appendEvents(input: $input) {
    __typename
    ... on AppendEventsSuccess { version position }
  }
}`;

/** Appends through the real server over HTTP, `workers` clients each on its own stream. */
export async function httpAppend(graphqlUrl: string, workers: number, eventsPerAppend: number, durationMs: number) {
  const url = new URL(graphqlUrl);
  return runLoad(workers, durationMs, async (worker, iteration) => {
    const events = Array.from({ length: eventsPerAppend }, (_, index) => sampleEvent(worker, iteration * eventsPerAppend + index));
    const text = await postJson(
      url,
      JSON.stringify({ query: APPEND, variables: { input: { streamId: `bench-${eventsPerAppend}-${worker}`, events } } }),
    );
    const body = JSON.parse(text) as { data?: { appendEvents?: { __typename: string } }; errors?: unknown };
    if (body.data?.appendEvents?.__typename !== 'AppendEventsSuccess') {
      throw new Error(`append failed: ${text.slice(0, 500)}`);
    }
    return eventsPerAppend;
  });
}
