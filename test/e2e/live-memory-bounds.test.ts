import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../bench/gateway-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { scrapeMetrics } from '../support/metrics.js';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents, postGraphQL } from '../support/test-gateway.js';
import { connectWs, waitUntil, type Collected, type WsConnection } from '../support/ws-client.js';

const MiB = 2 ** 20;
/** History each slow subscription replays: 50 events of about 1 MB of incompressible JSON, 50 MB. */
const HISTORY_EVENTS = 50;
const EVENT_CHARS = 1_000_000;
const SLOW_SUBSCRIPTIONS = 20;
const SUBSCRIBER_BUFFER_BYTES = 8 * MiB;
const SLOW_CONSUMER_BYTES = 16 * MiB;
/**
 * Long enough for the stalled subscriptions to read their history into
 * whatever they may hold before they are ended: with a shorter wait, buffers
 * bounded in events only would still look small.
 */
const SLOW_CONSUMER_TIMEOUT_MS = 12_000;
/**
 * What the gateway may grow by, at most, for `subscriptions` stalled ones:
 * each holds its buffer and a page read into it, and one message on its way
 * to the socket (its result, the JSON, the frame); a socket holds up to its
 * bound; the shared results keep 64 MiB. V8 keeps some of what it let go on
 * top: a third more. Before the bounds in bytes, 20 stalled graphql-ws
 * subscriptions grew it by 900 MB.
 */
const rssGrowthBound = (subscriptions: number) =>
  Math.round((subscriptions * (2 * SUBSCRIBER_BUFFER_BYTES + 3 * MiB) + SLOW_CONSUMER_BYTES + 64 * MiB) * 1.33);
const RSS_GROWTH_BOUND = rssGrowthBound(SLOW_SUBSCRIPTIONS);

let database: TestDatabase;
let gateway: GatewayProcess;
const connections: WsConnection[] = [];
const gw = { url: '', gateway: undefined as never, gql: <T>(query: string, variables?: Record<string, unknown>) => postGraphQL<T>(gw.url, query, variables) };

beforeAll(async () => {
  database = await createTestDatabase();
  gateway = await startGatewayProcess(database.url, {
    env: {
      GATER_SUBSCRIBER_BUFFER_BYTES: String(SUBSCRIBER_BUFFER_BYTES),
      GATER_SLOW_CONSUMER_BYTES: String(SLOW_CONSUMER_BYTES),
      GATER_SLOW_CONSUMER_TIMEOUT_MS: String(SLOW_CONSUMER_TIMEOUT_MS),
    },
  });
  gw.url = gateway.url;
}, 60_000);

afterAll(async () => {
  for (const connection of connections) await connection.dispose().catch(() => undefined);
  await gateway?.stop();
  await database?.drop();
});

async function rss(): Promise<number> {
  return (await scrapeMetrics(new URL(gw.url).origin)).samples.get('process_resident_memory_bytes')!;
}

/** Samples the gateway's RSS while `during` runs, and answers the highest seen. */
async function peakRss(during: () => Promise<void>): Promise<number> {
  let peak = await rss();
  const sampling = setInterval(() => void rss().then((value) => (peak = Math.max(peak, value))), 100);
  try {
    await during();
  } finally {
    clearInterval(sampling);
  }
  return Math.max(peak, await rss());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(): Promise<WsConnection> {
  const connection = await connectWs(gw);
  connections.push(connection);
  return connection;
}

describe('a client that stops reading while its subscriptions replay large events', () => {
  it(`keeps the gateway within ${SLOW_SUBSCRIPTIONS} buffers of ${SUBSCRIBER_BUFFER_BYTES / MiB} MiB, serves the others meanwhile, and ends the stalled subscriptions with SLOW_CONSUMER`, async () => {
    for (let index = 0; index < HISTORY_EVENTS; index += 5) {
      await appendSuccess(gw, { streamId: 'big', events: newEvents(5, 'Big', () => ({ blob: randomBytes((EVENT_CHARS * 3) / 4).toString('base64') })) });
    }
    const before = await rss();

    const fast = await connect();
    // From the stream's start: whenever the subscription gets going, it gets every event appended below.
    const fastSub = fast.subscribe<EventView>(BY_STREAM, { streamId: 'small', fromVersion: 0 });
    const slow = await connect();
    // The client stops reading: what the gateway sends backs up in TCP, then in the gateway.
    slow.socket.pause();
    // Each from a version of its own: no two read the same pages, share results, or hold the same events.
    const slowSubs: Collected<EventView>[] = Array.from({ length: SLOW_SUBSCRIPTIONS }, (_, index) =>
      slow.subscribe<EventView>(BY_STREAM, { streamId: 'big', fromVersion: index }),
    );

    const peak = await peakRss(async () => {
      // The others are served while the slow client stalls.
      const written = [];
      for (let round = 0; round < 20; round++) {
        written.push(...(await appendSuccess(gw, { streamId: 'small', events: newEvents(1) })).events);
        await sleep(150);
      }
      expect(await fastSub.waitForEvents(written.length)).toEqual(written);
      await sleep(SLOW_CONSUMER_TIMEOUT_MS);
    });
    console.log(`RSS before ${(before / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, growth ${((peak - before) / MiB).toFixed(0)} MiB, bound ${(RSS_GROWTH_BOUND / MiB).toFixed(0)} MiB`);
    expect(peak - before).toBeLessThan(RSS_GROWTH_BOUND);

    slow.socket.resume();
    await waitUntil(() => slowSubs.every((sub) => sub.done), 'the stalled subscriptions to end', 30_000);
    for (const sub of slowSubs) {
      expect(sub.errors.map((error) => error.extensions?.code)).toEqual(['SLOW_CONSUMER']);
      expect(sub.events.length).toBeLessThan(HISTORY_EVENTS - SLOW_SUBSCRIPTIONS);
    }
    // The connection itself goes on: a new subscription on it is served.
    const again = slow.subscribe<EventView>(BY_STREAM, { streamId: 'small', fromVersion: 0 });
    expect((await again.waitForEvents(20)).length).toBe(20);
    expect(slow.closes).toEqual([]);
  }, 120_000);

  it('holds as little for SSE clients that stop reading and for a graphql-ws client that reads slowly, and the slow reader gets every event in order', async () => {
    const sseSubscriptions = 10;
    const slowReads = 5;
    const fromVersion = HISTORY_EVENTS - 10;
    const before = await rss();
    const aborts = Array.from({ length: sseSubscriptions }, () => new AbortController());
    // Their bodies are never read: the gateway's writes back up in TCP.
    const stalled = aborts.map((abort) =>
      fetch(gw.url, {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({ query: BY_STREAM, variables: { streamId: 'big', fromVersion: 0 } }),
        signal: abort.signal,
      }),
    );
    const reader = await connect();
    const slowSubs = Array.from({ length: slowReads }, () => reader.subscribe<EventView>(BY_STREAM, { streamId: 'big', fromVersion }));
    const peak = await peakRss(async () => {
      // Reads a little now and then: the socket is paused most of the time.
      while (!slowSubs.every((sub) => sub.events.length === HISTORY_EVENTS - fromVersion || sub.errors.length > 0)) {
        reader.socket.resume();
        await sleep(10);
        reader.socket.pause();
        await sleep(100);
      }
      reader.socket.resume();
    });
    for (const abort of aborts) abort.abort();
    await Promise.allSettled(stalled);
    const bound = rssGrowthBound(sseSubscriptions + slowReads);
    console.log(`RSS before ${(before / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, growth ${((peak - before) / MiB).toFixed(0)} MiB, bound ${(bound / MiB).toFixed(0)} MiB`);
    expect(peak - before).toBeLessThan(bound);
    for (const sub of slowSubs) {
      expect(sub.errors).toEqual([]);
      expect(sub.events.map((event) => event.version)).toEqual(Array.from({ length: HISTORY_EVENTS - fromVersion }, (_, index) => fromVersion + index));
    }
  }, 120_000);
});
