import pg from 'pg';
import { startGatewayProcess } from './gateway-process.js';
import { postJson } from './http-post.js';
import { runLoad } from './load.js';
import { sampleEvent } from './sample-event.js';

const APPEND = `mutation Append($input: AppendEventsInput!) {
  appendEvents(input: $input) { __typename ... on AppendEventsSuccess { position } }
}`;

const APPEND_TO_STREAMS = `mutation AppendToStreams($input: AppendToStreamsInput!) {
  appendToStreams(input: $input) { __typename ... on AppendToStreamsSuccess { position } }
}`;

interface Scenario {
  name: string;
  eventsPerCall: number;
  body: (worker: number, iteration: number) => unknown;
  /** The answer's one success type. */
  success: string;
}

/**
 * Plain, conditional and multi-stream appends of one event per stream, one
 * after the other on one gateway, so that what a condition or a second stream
 * costs shows beside the plain append it extends. The condition is a
 * reservation's: no event of its type for the same key after position 0, so
 * it is evaluated under the store lock on every append and always holds.
 */
function scenarios(): Scenario[] {
  const stream = (name: string, worker: number) => `lifecycle-${name}-${worker}`;
  return [
    {
      name: 'appendEvents',
      eventsPerCall: 1,
      success: 'AppendEventsSuccess',
      body: (worker, iteration) => ({ query: APPEND, variables: { input: { streamId: stream('plain', worker), events: [sampleEvent(worker, iteration)] } } }),
    },
    {
      name: 'appendEvents + condition',
      eventsPerCall: 1,
      success: 'AppendEventsSuccess',
      body: (worker, iteration) => {
        const key = `${worker}-${iteration}`;
        return {
          query: APPEND,
          variables: {
            input: {
              streamId: stream('conditional', worker),
              events: [{ type: 'KeyReserved', data: { key } }],
              condition: { failIfEventsMatch: { eventTypes: ['KeyReserved'], pattern: { data: { key } } } },
            },
          },
        };
      },
    },
    {
      name: 'appendToStreams (2 streams)',
      eventsPerCall: 2,
      success: 'AppendToStreamsSuccess',
      body: (worker, iteration) => ({
        query: APPEND_TO_STREAMS,
        variables: {
          input: {
            streams: [
              { streamId: stream('from', worker), events: [sampleEvent(worker, iteration)] },
              { streamId: stream('to', worker), events: [sampleEvent(worker, iteration)] },
            ],
          },
        },
      }),
    },
  ];
}

/** The suite of `npm run bench -- --suite lifecycle` (and of the default run): one row per scenario. */
export async function lifecycleAppendSuite(adminUrl: string, workers: number, durationMs: number) {
  const name = 'gater_bench_lifecycle';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const gateway = await startGatewayProcess(url.toString());
  const rows: { scenario: string; eventsPerCall: number; calls: number; events: number; seconds: number; eventsPerSecond: number; callsPerSecond: number }[] = [];
  try {
    const graphqlUrl = new URL(gateway.url);
    for (const scenario of scenarios()) {
      const result = await runLoad(workers, durationMs, async (worker, iteration) => {
        const text = await postJson(graphqlUrl, JSON.stringify(scenario.body(worker, iteration)));
        const answer = Object.values((JSON.parse(text) as { data?: Record<string, { __typename: string }> }).data ?? {})[0];
        if (answer?.__typename !== scenario.success) throw new Error(`${scenario.name} failed: ${text.slice(0, 500)}\n${gateway.output().slice(-4000)}`);
        return scenario.eventsPerCall;
      });
      rows.push({
        scenario: scenario.name,
        eventsPerCall: scenario.eventsPerCall,
        calls: result.calls,
        events: result.units,
        seconds: Number(result.seconds.toFixed(2)),
        eventsPerSecond: Math.round(result.units / result.seconds),
        callsPerSecond: Math.round(result.calls / result.seconds),
      });
    }
  } finally {
    await gateway.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
  }
  console.log(`\nplain, conditional and multi-stream appends over HTTP, ${workers} concurrent clients, ${durationMs / 1000}s each`);
  console.table(rows);
  return { workers, rows };
}
