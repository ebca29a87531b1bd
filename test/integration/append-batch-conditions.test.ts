import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { appendBatch } from '../../src/store/log/append-batch.js';
import type { BatchMember, ScopedCondition } from '../../src/store/log/append-plan.js';
import { deleteStream } from '../../src/store/log/delete-stream.js';
import { StreamVersionCache } from '../../src/store/log/stream-version-cache.js';
import { StreamScope } from '../../src/store/stream-scope.js';
import type { NewEventData } from '../../src/store/types.js';
import { compileSubsetMatcher } from '../../src/subscriptions/matcher.js';
import { useMigratedStore } from '../support/migrated-store.js';

const store = useMigratedStore('conditions');

const reserved = (seat: number): NewEventData => {
  const data = { seat };
  return { id: randomUUID(), idGenerated: false, type: 'SeatReserved', data, metadata: null, dataJson: JSON.stringify(data), metadataJson: 'null', contentType: 'application/json' };
};

const seatTaken = (seat: number, after = 0): ScopedCondition => {
  const pattern = { data: { seat } };
  const matches = compileSubsetMatcher(pattern);
  return { after, eventTypes: ['SeatReserved'], pattern, matchesPattern: (event) => matches(event), scope: StreamScope.EVERY_STREAM };
};

const reserve = (streamId: string, seat: number, after = 0): BatchMember => ({
  parts: [{ streamId, expected: { kind: 'any' }, events: [reserved(seat)] }],
  condition: seatTaken(seat, after),
  multi: false,
});

const commit = (members: BatchMember[]) => appendBatch(store.pool, store.tables, members, new StreamVersionCache(), { events: 0, batches: 0 });

it('checks each condition against earlier members of the same batch, and against the database under the lock', async () => {
  const [first, second, other] = await commit([reserve('r-1', 1), reserve('r-2', 1), reserve('r-3', 2)]);
  expect(first).toMatchObject({ ok: true, position: 1 });
  // Refused by an event of the same batch: told that event's position once it is written.
  expect(second).toEqual({ ok: false, reason: 'condition_failed', position: 1 });
  expect(other).toMatchObject({ ok: true, position: 2 });

  // In the next batch, seat 1 is taken in the database; seat 3 by a member earlier in the batch,
  // and seat 2 both ways: the stored event comes first.
  const [late, three, threeAgain, twoAgain] = await commit([reserve('r-4', 1), reserve('r-5', 3), reserve('r-6', 3), reserve('r-7', 2)]);
  expect(late).toEqual({ ok: false, reason: 'condition_failed', position: 1 });
  expect(three).toMatchObject({ ok: true, position: 3 });
  expect(threeAgain).toEqual({ ok: false, reason: 'condition_failed', position: 3 });
  expect(twoAgain).toEqual({ ok: false, reason: 'condition_failed', position: 2 });

  // `after` past the matching event: it no longer counts.
  const [afterIt] = await commit([reserve('r-8', 1, 1)]);
  expect(afterIt).toMatchObject({ ok: true, position: 4 });
  const { rows } = await store.pool.query(`SELECT stream_id FROM ${store.tables.events} ORDER BY position`);
  expect(rows.map((row) => row.stream_id)).toEqual(['r-1', 'r-3', 'r-5', 'r-8']);
});

it('writes a multi-stream member at contiguous positions, in input order, between its neighbours in the batch', async () => {
  const one = (streamId: string): BatchMember => ({ parts: [{ streamId, expected: { kind: 'any' }, events: [reserved(100)] }], multi: false });
  const multi: BatchMember = {
    parts: [
      { streamId: 'm-b', expected: { kind: 'no_stream' }, events: [reserved(101), reserved(102)] },
      { streamId: 'm-a', expected: { kind: 'no_stream' }, events: [reserved(103)] },
    ],
    multi: true,
  };
  const failing: BatchMember = {
    parts: [
      { streamId: 'm-c', expected: { kind: 'no_stream' }, events: [reserved(104)] },
      { streamId: 'm-b', expected: { kind: 'no_stream' }, events: [reserved(105)] },
    ],
    multi: true,
  };
  const [before, written, refused, after] = await commit([one('m-x'), multi, failing, one('m-y')]);
  const head = (before as { position: number }).position;
  expect(written).toMatchObject({
    ok: true,
    position: head + 3,
    streams: [
      { streamId: 'm-b', version: 1, position: head + 2 },
      { streamId: 'm-a', version: 0, position: head + 3 },
    ],
  });
  expect(refused).toMatchObject({ ok: false, reason: 'wrong_expected_version', streamId: 'm-b' });
  expect(after).toMatchObject({ ok: true, position: head + 4 });
  const { rows } = await store.pool.query(`SELECT count(*)::int AS n FROM ${store.tables.events} WHERE stream_id = 'm-c'`);
  expect(rows[0]).toEqual({ n: 0 });
});

it('does not trust a remembered version of a stream another gateway deleted since', async () => {
  const cache = new StreamVersionCache();
  const member = (expected: BatchMember['parts'][0]['expected']): BatchMember => ({ parts: [{ streamId: 'cached', expected, events: [reserved(200)] }], multi: false });
  const counters = { events: 0, batches: 0 };
  await appendBatch(store.pool, store.tables, [member({ kind: 'any' }), member({ kind: 'any' })], cache, counters);
  expect(cache.get('cached')).toBe(1);
  // Deleted elsewhere: this gateway's cache still says version 1.
  await deleteStream(store.pool, store.tables, { streamId: 'cached', expected: { kind: 'any' }, hard: false });
  const [stale] = await appendBatch(store.pool, store.tables, [member({ kind: 'exact', version: 1 })], cache, counters);
  expect(stale).toMatchObject({ ok: false, reason: 'wrong_expected_version', actualVersion: -1 });
  const [fresh] = await appendBatch(store.pool, store.tables, [member({ kind: 'no_stream' })], cache, counters);
  expect(fresh).toMatchObject({ ok: true, version: 2 });
  await deleteStream(store.pool, store.tables, { streamId: 'cached', expected: { kind: 'any' }, hard: true });
  const [tombstone] = await appendBatch(store.pool, store.tables, [member({ kind: 'any' })], cache, counters);
  expect(tombstone).toEqual({ ok: false, reason: 'stream_deleted', streamId: 'cached' });
});
