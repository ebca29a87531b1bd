import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeTables } from '../../src/store/tables.js';
import { appendToStreams, appendWithCondition, deleteStream, streamState } from '../support/lifecycle.js';
import { consume, gatewayForFile, saveSubscription, subscriptionView, waitForConsumers } from '../support/persistent.js';
import { RECORD_SNAPSHOT, STORES, STREAMS_PAGE, type StoresData, type StreamsPageData } from '../support/queries.js';
import { SET_STREAM_METADATA, setStreamMetadata } from '../support/stream-metadata.js';
import { append, appendSuccess, dataOf, newEvents, readAll, readStream } from '../support/test-gateway.js';

const env = gatewayForFile();
const tables = storeTables('default');
let db: pg.Pool;

beforeAll(() => {
  db = new pg.Pool({ connectionString: env.gw.databaseUrl, max: 2 });
});
afterAll(async () => {
  await db.end();
});

/** Rows anywhere in the store's tables that still hold one of these event ids, or the stream's id as a snapshot's stream. */
async function rowsLeft(streamId: string, eventIds: string[]): Promise<Record<string, number>> {
  const count = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);
  return {
    events: await count(`SELECT count(*) AS n FROM ${tables.events} WHERE stream_id = $1 OR event_id = ANY($2::uuid[])`, [streamId, eventIds]),
    snapshots: await count(`SELECT count(*) AS n FROM ${tables.snapshots} WHERE stream_uuid = $1`, [streamId]),
    inFlight: await count(`SELECT count(*) AS n FROM ${tables.inFlight} WHERE event_id = ANY($1::uuid[])`, [eventIds]),
    parked: await count(`SELECT count(*) AS n FROM ${tables.parked} WHERE event_id = ANY($1::uuid[])`, [eventIds]),
    metadata: await count(`SELECT count(*) AS n FROM ${tables.streamMetadata} WHERE stream_id = $1`, [streamId]),
  };
}

const stores = async () => dataOf(await env.gw.gql<StoresData>(STORES)).stores.find((store) => store.id === 'default')!;

describe('deleteStream erases', () => {
  it("the stream's events, its snapshots and its pending, in-flight and parked persistent deliveries, as SQL shows", async () => {
    const streamId = `secret-${randomUUID()}`;
    await saveSubscription(env.gw, { name: 'erasure', type: 'BY_STREAM', selector: streamId, maxInFlight: 2 });
    const sub = consume(env.ws, 'erasure');
    await waitForConsumers(env.gw, 1);
    // Five events: one parked, one in flight (delivered, not acked), the rest pending behind maxInFlight.
    const written = await appendSuccess(env.gw, { streamId, events: newEvents(5, 'Secret', (index) => ({ ssn: `123-45-${index}` })) });
    const ids = written.events.map((event) => event.id);
    await sub.waitForEvents(2);
    expect(await sub.nack(ids[0]!, 'PARK', 'keep for later')).toBe(true);
    await sub.waitForEvents(3);
    expect(await subscriptionView(env.gw, 'erasure')).toMatchObject({ parkedCount: 1, inFlightCount: 2 });
    dataOf(await env.gw.gql(RECORD_SNAPSHOT, { input: { sourceUuid: 'projection', streamUuid: streamId, version: 4, data: { ssn: 'x' } } }));
    dataOf(await env.gw.gql(RECORD_SNAPSHOT, { input: { sourceUuid: 'other', streamUuid: streamId, version: 2, data: {} } }));
    await setStreamMetadata(env.gw, { streamId, custom: { owner: 'jane@example.com' } });
    const other = await appendSuccess(env.gw, { streamId: `kept-${randomUUID()}`, events: newEvents(2) });
    const before = await stores();
    expect(await rowsLeft(streamId, ids)).toEqual({ events: 5, snapshots: 2, inFlight: 2, parked: 1, metadata: 1 });

    expect(await deleteStream(env.gw, { streamId, expectedVersion: 4 })).toEqual({ __typename: 'DeleteStreamSuccess', streamId, erasedEvents: 5 });

    expect(await rowsLeft(streamId, ids)).toEqual({ events: 0, snapshots: 0, inFlight: 0, parked: 0, metadata: 0 });
    const { rows } = await db.query(`SELECT 1 FROM ${tables.events} WHERE data::text LIKE '%123-45-%'`);
    expect(rows).toHaveLength(0);
    expect(await subscriptionView(env.gw, 'erasure')).toMatchObject({ parkedCount: 0, inFlightCount: 0 });
    // Acks of erased deliveries count for nothing; the pending ones are never delivered: the next is a new event.
    expect(await sub.ack(ids[1]!)).toBe(false);
    const delivered = sub.events.length;
    const marker = await appendSuccess(env.gw, { streamId, events: newEvents(1, 'Marker') });
    await sub.waitForEvents(delivered + 1);
    expect(sub.events.slice(delivered).map((delivery) => delivery.event.id)).toEqual([marker.events[0]!.id]);
    expect(await readStream(env.gw, other.streamId)).toEqual(other.events);
    // A persistent subscription made afterwards, from the start of the log, replays no erased event.
    sub.unsubscribe();
    await waitForConsumers(env.gw, 0);
    await saveSubscription(env.gw, { name: 'after-erasure', type: 'BY_STREAM', selector: streamId, startFrom: 0 });
    const replay = consume(env.ws, 'after-erasure', { autoAck: true });
    await replay.waitForEvents(1);
    expect(replay.events.map((delivery) => delivery.event.id)).toEqual([marker.events[0]!.id]);
    expect(await stores()).toEqual({ ...before, eventCount: before.eventCount - 5 + 1, headPosition: marker.position });
  });
});

describe('a soft-deleted stream', () => {
  it('reads as not existing, may be written again with NO_STREAM, and numbers on after the erased events', async () => {
    const streamId = `soft-${randomUUID()}`;
    await appendSuccess(env.gw, { streamId, events: newEvents(3) });
    expect(await deleteStream(env.gw, { streamId })).toMatchObject({ __typename: 'DeleteStreamSuccess', erasedEvents: 3 });

    expect(await streamState(env.gw, streamId)).toEqual({
      stream: { id: streamId, version: -1, exists: false, deleted: false, events: { edges: [] } },
      streamVersion: -1,
    });
    const listed = dataOf(await env.gw.gql<StreamsPageData>(STREAMS_PAGE, { prefix: streamId }));
    expect(listed.streams.edges).toEqual([]);
    expect((await readAll(env.gw)).filter((event) => event.streamId === streamId)).toEqual([]);

    // An expectation from before the deletion never matches.
    expect(await append(env.gw, { streamId, expectedVersion: 2, events: newEvents(1) })).toMatchObject({
      __typename: 'WrongExpectedVersionError',
      expected: '2',
      actualVersion: -1,
    });
    expect(await append(env.gw, { streamId, expectedState: 'STREAM_EXISTS', events: newEvents(1) })).toMatchObject({
      __typename: 'WrongExpectedVersionError',
    });
    const again = await appendSuccess(env.gw, { streamId, expectedState: 'NO_STREAM', events: newEvents(2) });
    expect(again.events.map((event) => event.version)).toEqual([3, 4]);
    expect(again.version).toBe(4);
    expect(await append(env.gw, { streamId, expectedVersion: -1, events: newEvents(1) })).toMatchObject({ __typename: 'WrongExpectedVersionError' });
    expect(await streamState(env.gw, streamId)).toMatchObject({ stream: { version: 4, exists: true, deleted: false }, streamVersion: 4 });
    expect((await readStream(env.gw, streamId)).map((event) => event.id)).toEqual(again.events.map((event) => event.id));
  });

  it('right after deletion takes expectedVersion -1, and a version seen before never names another event', async () => {
    const streamId = `renumbered-${randomUUID()}`;
    const first = await appendSuccess(env.gw, { streamId, events: newEvents(2) });
    await deleteStream(env.gw, { streamId, expectedVersion: 1 });
    const second = await appendSuccess(env.gw, { streamId, expectedVersion: -1, events: newEvents(2) });
    const versionsBefore = first.events.map((event) => event.version);
    expect(second.events.every((event) => !versionsBefore.includes(event.version))).toBe(true);
  });

  it('with a wrong expectation is not deleted, and nothing is erased', async () => {
    const streamId = `guarded-${randomUUID()}`;
    const written = await appendSuccess(env.gw, { streamId, events: newEvents(2) });
    expect(await deleteStream(env.gw, { streamId, expectedVersion: 0 })).toMatchObject({
      __typename: 'WrongExpectedVersionError',
      streamId,
      expected: '0',
      actualVersion: 1,
    });
    expect(await deleteStream(env.gw, { streamId: `never-${randomUUID()}`, expectedState: 'STREAM_EXISTS' })).toMatchObject({
      __typename: 'WrongExpectedVersionError',
    });
    expect(await readStream(env.gw, streamId)).toEqual(written.events);
  });
});

describe('a hard-deleted stream', () => {
  it('is a tombstone: reads say deleted, and every later append or deletion answers StreamDeletedError', async () => {
    const streamId = `hard-${randomUUID()}`;
    const neighbour = `neighbour-${randomUUID()}`;
    await appendSuccess(env.gw, { streamId, events: newEvents(3) });
    expect(await deleteStream(env.gw, { streamId, hard: true })).toEqual({ __typename: 'DeleteStreamSuccess', streamId, erasedEvents: 3 });

    expect(await streamState(env.gw, streamId)).toEqual({
      stream: { id: streamId, version: -1, exists: false, deleted: true, events: { edges: [] } },
      streamVersion: -1,
    });
    const deleted = { __typename: 'StreamDeletedError', streamId };
    expect(await appendWithCondition(env.gw, { streamId, events: newEvents(1) })).toMatchObject(deleted);
    expect(await appendWithCondition(env.gw, { streamId, expectedState: 'NO_STREAM', events: newEvents(1) })).toMatchObject(deleted);
    expect(
      await appendWithCondition(env.gw, { streamId, events: newEvents(1), condition: { failIfEventsMatch: { eventTypes: ['Nothing'] } } }),
    ).toMatchObject(deleted);
    expect(
      await appendToStreams(env.gw, { streams: [{ streamId: neighbour, events: newEvents(1) }, { streamId, events: newEvents(1) }] }),
    ).toMatchObject(deleted);
    expect(
      await appendToStreams(env.gw, {
        streams: [{ streamId, events: newEvents(1) }],
        condition: { failIfEventsMatch: { eventTypes: ['Nothing'] } },
      }),
    ).toMatchObject(deleted);
    expect(await deleteStream(env.gw, { streamId, hard: true })).toMatchObject(deleted);
    expect(await deleteStream(env.gw, { streamId })).toMatchObject(deleted);
    // The multi-stream append that hit the tombstone wrote nothing to its other stream.
    expect(await readStream(env.gw, neighbour)).toEqual([]);
    expect(await readStream(env.gw, streamId)).toEqual([]);
  });

  it('after a soft delete, and of a stream never written, leaves a tombstone too', async () => {
    const soft = `soft-then-hard-${randomUUID()}`;
    await appendSuccess(env.gw, { streamId: soft, events: newEvents(1) });
    await deleteStream(env.gw, { streamId: soft });
    expect(await deleteStream(env.gw, { streamId: soft, hard: true })).toMatchObject({ __typename: 'DeleteStreamSuccess', erasedEvents: 0 });
    const never = `never-written-${randomUUID()}`;
    expect(await deleteStream(env.gw, { streamId: never, hard: true, expectedState: 'NO_STREAM' })).toMatchObject({
      __typename: 'DeleteStreamSuccess',
      erasedEvents: 0,
    });
    for (const streamId of [soft, never]) {
      expect(await appendWithCondition(env.gw, { streamId, events: newEvents(1) })).toMatchObject({ __typename: 'StreamDeletedError' });
    }
  });

  it('takes no metadata and no snapshot, naming the field, while a soft-deleted stream takes both', async () => {
    const hard = `hard-kept-out-${randomUUID()}`;
    const soft = `soft-kept-in-${randomUUID()}`;
    for (const [streamId, isHard] of [[hard, true], [soft, false]] as const) {
      await appendSuccess(env.gw, { streamId, events: newEvents(2) });
      await deleteStream(env.gw, { streamId, hard: isHard });
    }
    const metadata = (streamId: string) => env.gw.gql(SET_STREAM_METADATA, { input: { streamId, maxCount: 5, custom: { owner: 'jane' } } });
    const snapshot = (streamUuid: string) => env.gw.gql(RECORD_SNAPSHOT, { input: { sourceUuid: 'projection', streamUuid, version: 1, data: { total: 2 } } });
    const refusal = (field: string) => ({ code: 'BAD_USER_INPUT', field });

    for (const [response, field] of [[await metadata(hard), 'input.streamId'], [await snapshot(hard), 'input.streamUuid']] as const) {
      expect(response.data).toBeNull();
      expect(response.errors?.map((error) => error.extensions)).toEqual([refusal(field)]);
      expect(response.errors?.[0]?.message).toContain('deleted for good');
    }
    expect(await rowsLeft(hard, [])).toMatchObject({ snapshots: 0, metadata: 0 });

    expect(dataOf(await metadata(soft))).toMatchObject({ setStreamMetadata: { maxCount: 5 } });
    expect(dataOf(await snapshot(soft))).toMatchObject({ recordSnapshot: { version: 1 } });
    expect(await rowsLeft(soft, [])).toMatchObject({ snapshots: 1, metadata: 1 });
  });
});
