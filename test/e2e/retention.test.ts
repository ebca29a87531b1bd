import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storeTables } from '../../src/store/tables.js';
import { scrapeMetrics } from '../support/metrics.js';
import { consume, saveSubscription, waitForConsumers } from '../support/persistent.js';
import {
  BY_STREAM,
  EVENT_BY_ID,
  EVENTS_PAGE,
  STREAM_PAGE,
  type EventByIdData,
  type EventView,
  type EventsPageData,
  type StreamPageData,
} from '../support/queries.js';
import { appendWithCondition } from '../support/lifecycle.js';
import { setStreamMetadata } from '../support/stream-metadata.js';
import { appendSuccess, dataOf, newEvents, readAll, readStream, storeView } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs, expectExactly, type WsConnection } from '../support/ws-client.js';

// Passes run only when a test runs them (the one at start-up finds nothing): what reads hide is seen before any erasure.
const gw = useGateway({ env: { GATER_RETENTION_INTERVAL_MS: '86400000' } });
const tables = storeTables('default');
let db: pg.Pool;
let ws: WsConnection;
beforeAll(async () => {
  db = new pg.Pool({ connectionString: gw.databaseUrl, max: 2 });
  ws = await connectWs(gw);
});
afterEach(async () => {
  ws.unsubscribeAll();
  await waitForConsumers(gw, 0);
});
afterAll(async () => {
  await ws?.dispose();
  await db?.end();
});

const ids = (events: readonly { id: string }[]) => events.map((event) => event.id);
const versions = (events: readonly { version: number }[]) => events.map((event) => event.version);

/** Runs retention passes of the default store until one leaves nothing waiting. */
async function erase(maxEvents = 1000): Promise<void> {
  const retention = gw.gateway.stores.find(undefined)!.retention;
  while (await retention.pass({ maxEvents, maxStreams: 1000 }));
}

/** A stream's events page by page, `first` at a time, in a direction: the versions of each page. */
async function streamPages(streamId: string, direction: 'FORWARD' | 'BACKWARD', first: number, fromVersion?: number): Promise<number[][]> {
  const pages: number[][] = [];
  let after: string | null = null;
  for (;;) {
    const page: StreamPageData = dataOf(await gw.gql<StreamPageData>(STREAM_PAGE, { id: streamId, direction, first, after, fromVersion }));
    pages.push(versions(page.stream.events.edges.map((edge) => edge.node)));
    if (!page.stream.events.pageInfo.hasNextPage) return pages;
    after = page.stream.events.pageInfo.endCursor;
  }
}

/** The whole $all log, `first` at a time, in a direction. */
async function logPages(direction: 'FORWARD' | 'BACKWARD', first: number): Promise<EventView[]> {
  const events: EventView[] = [];
  let after: string | null = null;
  for (;;) {
    const page: EventsPageData = dataOf(await gw.gql<EventsPageData>(EVENTS_PAGE, { direction, first, after }));
    events.push(...page.events.edges.map((edge) => edge.node));
    if (!page.events.pageInfo.hasNextPage) return events;
    after = page.events.pageInfo.endCursor;
  }
}

async function eventById(id: string): Promise<EventView | null> {
  return dataOf(await gw.gql<EventByIdData>(EVENT_BY_ID, { id })).event;
}

/** Writes `count` events to a stream, with one event of a neighbour stream after each half, so the stream's events are not adjacent in $all. */
async function interleaved(streamId: string, count: number): Promise<EventView[]> {
  const first = await appendSuccess(gw, { streamId, events: newEvents(Math.ceil(count / 2)) });
  await appendSuccess(gw, { streamId: `${streamId}-neighbour`, events: newEvents(1) });
  const second = await appendSuccess(gw, { streamId, events: newEvents(Math.floor(count / 2)) });
  await appendSuccess(gw, { streamId: `${streamId}-neighbour`, events: newEvents(1) });
  return [...first.events, ...second.events];
}

describe('reads hide what the limits exclude from the moment the metadata is set, before any erasure', () => {
  it('maxCount: stream reads both ways with paging, $all both ways, event(id); the version stays', async () => {
    const written = await interleaved('count-1', 10);
    const countBefore = (await storeView(gw)).eventCount;
    await setStreamMetadata(gw, { streamId: 'count-1', maxCount: 4 });

    expect(await streamPages('count-1', 'FORWARD', 3)).toEqual([[6, 7, 8], [9]]);
    expect(await streamPages('count-1', 'BACKWARD', 3)).toEqual([[9, 8, 7], [6]]);
    expect(await streamPages('count-1', 'FORWARD', 2, 0)).toEqual([[6, 7], [8, 9]]);
    expect(await streamPages('count-1', 'BACKWARD', 10, 7)).toEqual([[7, 6]]);

    const kept = written.slice(6);
    const forward = (await logPages('FORWARD', 3)).filter((event) => event.streamId.startsWith('count-1'));
    expect(ids(forward.filter((event) => event.streamId === 'count-1'))).toEqual(ids(kept));
    expect(forward.filter((event) => event.streamId === 'count-1-neighbour')).toHaveLength(2);
    const backward = (await logPages('BACKWARD', 3)).filter((event) => event.streamId === 'count-1');
    expect(ids(backward)).toEqual(ids(kept).reverse());

    expect(await eventById(written[0]!.id)).toBeNull();
    expect(await eventById(written[5]!.id)).toBeNull();
    expect(await eventById(written[6]!.id)).toEqual(written[6]);
    const stream = dataOf(await gw.gql<StreamPageData>(STREAM_PAGE, { id: 'count-1', first: 1 })).stream;
    expect(stream).toMatchObject({ version: 9, exists: true });
    // Hidden is not yet erased: the store still counts them.
    expect((await storeView(gw)).eventCount).toBe(countBefore);
  });

  it('truncateBefore hides the lower versions; setting it anew replaces maxCount and shows what that hid', async () => {
    const written = await interleaved('trunc-1', 6);
    await setStreamMetadata(gw, { streamId: 'trunc-1', maxCount: 1 });
    expect(versions(await readStream(gw, 'trunc-1'))).toEqual([5]);
    await setStreamMetadata(gw, { streamId: 'trunc-1', truncateBefore: 4 });
    expect(await readStream(gw, 'trunc-1')).toEqual(written.slice(4));
    await setStreamMetadata(gw, { streamId: 'trunc-1', truncateBefore: 100 });
    expect(await readStream(gw, 'trunc-1')).toEqual([]);
    await setStreamMetadata(gw, { streamId: 'trunc-1', truncateBefore: 2 });
    expect(await readStream(gw, 'trunc-1')).toEqual(written.slice(2));
  });

  it('a conditional append does not see what retention hides, erased or not: it fails only on a kept event', async () => {
    const held = { type: 'SeatHeld', data: { seat: 7 } };
    const hidden = await appendSuccess(gw, { streamId: 'seats-1', events: [held, held] });
    await setStreamMetadata(gw, { streamId: 'seats-1', truncateBefore: hidden.version + 1 });
    const condition = { failIfEventsMatch: { eventTypes: ['SeatHeld'], pattern: { data: { seat: 7 } } } };
    const booking = { streamId: 'booking-7', events: [{ type: 'SeatBooked', data: { seat: 7 } }], condition };
    expect(await appendWithCondition(gw, booking)).toMatchObject({ __typename: 'AppendEventsSuccess' });

    const kept = await appendSuccess(gw, { streamId: 'seats-1', events: [held] });
    expect(await appendWithCondition(gw, booking)).toMatchObject({ __typename: 'AppendConditionFailedError', position: kept.position });
  });

  it('maxAgeSeconds hides the events older than that', async () => {
    const written = await interleaved('age-1', 6);
    // Events written an hour ago, as far as the store can tell.
    await db.query(`UPDATE ${tables.events} SET created = created - interval '1 hour' WHERE stream_id = 'age-1' AND version < 3`);
    await setStreamMetadata(gw, { streamId: 'age-1', maxAgeSeconds: 600 });
    expect(await readStream(gw, 'age-1')).toEqual(written.slice(3));
    expect(ids((await readAll(gw)).filter((event) => event.streamId === 'age-1'))).toEqual(ids(written.slice(3)));
    expect(await eventById(written[2]!.id)).toBeNull();
  });
});

describe('subscription history hides them too', () => {
  it('a live subscription from position 1 replays only what is kept, then goes live', async () => {
    const written = await interleaved('live-1', 8);
    await setStreamMetadata(gw, { streamId: 'live-1', maxCount: 3 });
    const visible = await readAll(gw);
    expect(ids(visible)).not.toContain(written[0]!.id);

    const all = ws.subscribe<EventView>(BY_STREAM, { streamId: '$all', fromPosition: 1 });
    const one = ws.subscribe<EventView>(BY_STREAM, { streamId: 'live-1', fromVersion: 0 });
    const marker = async () => (await appendSuccess(gw, { streamId: 'live-1', events: newEvents(1, 'Marker') })).events;
    await expectExactly(marker, [all, visible], [one, written.slice(5)]);
  });

  it('a persistent subscription created afterwards delivers only what is kept', async () => {
    const written = await interleaved('pers-1', 8);
    await setStreamMetadata(gw, { streamId: 'pers-1', truncateBefore: 6 });
    await saveSubscription(gw, { name: 'after-trim', type: 'BY_STREAM', selector: 'pers-1', startFrom: 1 });
    const sub = consume(ws, 'after-trim', { autoAck: true });
    await sub.waitForEvents(2);
    const marker = (await appendSuccess(gw, { streamId: 'pers-1', events: newEvents(1, 'Marker') })).events;
    await sub.waitForEvents(3);
    expect(ids(sub.events.map((delivery) => delivery.event))).toEqual(ids([...written.slice(6), ...marker]));
  });

  it('deliveries of a persistent subscription not yet made are not made once the events are hidden', async () => {
    const written = await interleaved('pers-2', 6);
    await saveSubscription(gw, { name: 'before-trim', type: 'BY_STREAM', selector: 'pers-2', startFrom: 1, maxInFlight: 100 });
    const first = consume(ws, 'before-trim');
    await first.waitForEvents(6);
    // Never acked: given back when the consumer leaves, they are due again.
    first.unsubscribe();
    await waitForConsumers(gw, 0);
    await setStreamMetadata(gw, { streamId: 'pers-2', truncateBefore: 4 });
    const second = consume(ws, 'before-trim', { autoAck: true });
    await second.waitForEvents(2);
    const marker = (await appendSuccess(gw, { streamId: 'pers-2', events: newEvents(1, 'Marker') })).events;
    await second.waitForEvents(3);
    expect(ids(second.events.map((delivery) => delivery.event))).toEqual(ids([...written.slice(4), ...marker]));
  });
});

describe('the retention pass', () => {
  it('erases the hidden rows from the log and from persistent subscriptions, leaves the kept ones intact, and counts it', async () => {
    const written = await interleaved('erase-1', 10);
    const other = await appendSuccess(gw, { streamId: 'erase-untouched', events: newEvents(3) });
    // What the tests before hid goes first, so that what follows counts this test's alone.
    await erase();
    // In flight (delivered, not acked) and parked rows, for events that will go and events that stay.
    await saveSubscription(gw, { name: 'holding', type: 'BY_STREAM', selector: 'erase-1', startFrom: 1, maxInFlight: 100, maxRetries: 5 });
    const consumer = consume(ws, 'holding');
    await consumer.waitForEvents(10);
    for (const event of [written[1]!, written[8]!]) expect(await consumer.nack(event.id, 'PARK', 'kept aside')).toBe(true);
    const rowsOf = async (table: string, where = 'true') =>
      (await db.query(`SELECT * FROM ${table} WHERE ${where} ORDER BY position`)).rows;
    const keptRowsBefore = await rowsOf(tables.events, `stream_id = 'erase-1' AND version >= 7`);
    const keptInFlightBefore = await rowsOf(tables.inFlight, `subscription = 'holding'`);
    const storeBefore = await storeView(gw);
    const metricsBefore = await scrapeMetrics(gw.origin);
    const erasedBefore = metricsBefore.samples.get('gater_retention_erased_events_total{store="default"}')!;
    const passesBefore = metricsBefore.samples.get('gater_retention_passes_total{store="default"}')!;

    await setStreamMetadata(gw, { streamId: 'erase-1', maxCount: 3 });
    await erase(4);

    const doomed = written.slice(0, 7).map((event) => event.id);
    expect((await db.query(`SELECT event_id FROM ${tables.events} WHERE event_id = ANY($1::uuid[])`, [doomed])).rows).toEqual([]);
    expect((await db.query(`SELECT event_id FROM ${tables.inFlight} WHERE event_id = ANY($1::uuid[])`, [doomed])).rows).toEqual([]);
    expect((await db.query(`SELECT event_id FROM ${tables.parked} WHERE event_id = ANY($1::uuid[])`, [doomed])).rows).toEqual([]);
    expect(await rowsOf(tables.events, `stream_id = 'erase-1'`)).toEqual(keptRowsBefore);
    expect(await rowsOf(tables.inFlight, `subscription = 'holding'`)).toEqual(
      keptInFlightBefore.filter((row) => !doomed.includes(row.event_id as string)),
    );
    expect((await rowsOf(tables.parked, `subscription = 'holding'`)).map((row) => row.event_id)).toEqual([written[8]!.id]);
    expect(await readStream(gw, 'erase-untouched')).toEqual(other.events);
    expect(await readStream(gw, 'erase-1')).toEqual(written.slice(7));

    const storeAfter = await storeView(gw);
    expect(storeAfter.eventCount).toBe(storeBefore.eventCount - 7);
    expect(storeAfter.headPosition).toBe(storeBefore.headPosition);
    const metrics = await scrapeMetrics(gw.origin);
    expect(metrics.samples.get('gater_retention_erased_events_total{store="default"}')! - erasedBefore).toBe(7);
    // 7 events at 4 a pass: a full pass, then one that erases the rest and so finds no more waiting.
    expect(metrics.samples.get('gater_retention_passes_total{store="default"}')! - passesBefore).toBe(2);
    expect(metrics.samples.get('gater_retention_erased_deliveries_total{store="default"}')).toBeGreaterThanOrEqual(7);
    expect(metrics.samples.get('gater_retention_last_pass_timestamp_seconds{store="default"}')! * 1000).toBeGreaterThan(Date.now() - 60_000);
  });

  it('leaves holes in the positions that reads, cursors and new subscriptions step over', async () => {
    await interleaved('holes-1', 12);
    await setStreamMetadata(gw, { streamId: 'holes-1', maxCount: 2 });
    await erase();
    const log = await readAll(gw);
    const positions = log.map((event) => event.position);
    expect(positions.some((position, index) => index > 0 && position - positions[index - 1]! > 1)).toBe(true);
    expect(await logPages('FORWARD', 2)).toEqual(log);
    expect(await logPages('BACKWARD', 2)).toEqual([...log].reverse());

    const all = ws.subscribe<EventView>(BY_STREAM, { streamId: '$all', fromPosition: 1 });
    await saveSubscription(gw, { name: 'over-holes', type: 'BY_STREAM', selector: '$all', startFrom: 1 });
    const persistent = consume(ws, 'over-holes', { autoAck: true });
    // To a stream without limits: one to holes-1 would hide its oldest kept event.
    const marker = async () => (await appendSuccess(gw, { streamId: 'holes-marker', events: newEvents(1, 'Marker') })).events;
    await expectExactly(marker, [all, log]);
    await persistent.waitForEvents(log.length + 1);
    expect(ids(persistent.events.map((delivery) => delivery.event))).toEqual(ids(await readAll(gw)));
  });
});
