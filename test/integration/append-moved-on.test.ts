import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { appendBatch } from '../../src/store/log/append-batch.js';
import type { BatchMember } from '../../src/store/log/append-plan.js';
import { deleteStream } from '../../src/store/log/delete-stream.js';
import { StreamVersionCache } from '../../src/store/log/stream-version-cache.js';
import type { ExpectedVersion, NewEventData } from '../../src/store/types.js';
import { useMigratedStore } from '../support/migrated-store.js';

/*
 * A gateway plans a batch from the versions it remembers; another gateway may
 * have written or deleted those streams since. A stream no part of the batch
 * expects anything of is moved on from where it is; any other change makes
 * the batch be planned again, and answered from what the store holds.
 */
const store = useMigratedStore('moved_on');

const event = (): NewEventData => ({ id: randomUUID(), idGenerated: true, type: 'Noted', data: {}, metadata: null, dataJson: '{}', metadataJson: 'null', contentType: 'application/json' });
const append = (streamId: string, expected: ExpectedVersion = { kind: 'any' }): BatchMember => ({ parts: [{ streamId, expected, events: [event()] }], multi: false });
const counters = () => ({ events: 0, batches: 0 });

/** Another gateway's append, with a memory of its own. */
const neighbourAppends = (streamId: string) => appendBatch(store.pool, store.tables, [append(streamId)], new StreamVersionCache(), counters());

async function streamRow(streamId: string) {
  const { rows } = await store.pool.query(`SELECT version, first_version, deleted FROM ${store.tables.streams} WHERE stream_id = $1`, [streamId]);
  return rows[0];
}

async function head(): Promise<{ position: number; stream_count: number; event_count: number }> {
  const { rows } = await store.pool.query(`SELECT position::int, stream_count::int, event_count::int FROM ${store.tables.head}`);
  return rows[0];
}

it('counts a stream that another gateway created after this one found it absent once, as one stream', async () => {
  // This gateway found 'born' absent when it last read it; the neighbour creates it before this gateway's next write.
  const cache = new StreamVersionCache();
  cache.remember('born', -1);
  const before = await head();
  await neighbourAppends('born');
  const [answer] = await appendBatch(store.pool, store.tables, [append('born')], cache, counters());
  expect(answer).toMatchObject({ ok: true, streamId: 'born', version: 1 });
  expect(cache.contended).toBe(false);
  expect(await streamRow('born')).toEqual({ version: 1, first_version: 0, deleted: null });
  expect(await head()).toEqual({ position: before.position + 2, stream_count: before.stream_count + 1, event_count: before.event_count + 2 });
});

it('appends to a stream that another gateway soft-deleted since, as the deletion left it: brought back after its last version', async () => {
  const cache = new StreamVersionCache();
  await appendBatch(store.pool, store.tables, [append('soft')], cache, counters());
  await neighbourAppends('soft');
  await deleteStream(store.pool, store.tables, { streamId: 'soft', expected: { kind: 'any' }, hard: false });
  expect(cache.get('soft')).toBe(0);

  const [answer] = await appendBatch(store.pool, store.tables, [append('soft')], cache, counters());
  expect(answer).toMatchObject({ ok: true, streamId: 'soft', version: 2 });
  expect(await streamRow('soft')).toEqual({ version: 2, first_version: 2, deleted: null });
});

it('refuses to append to a stream that another gateway hard-deleted since, and stores nothing', async () => {
  const cache = new StreamVersionCache();
  await appendBatch(store.pool, store.tables, [append('hard')], cache, counters());
  await deleteStream(store.pool, store.tables, { streamId: 'hard', expected: { kind: 'any' }, hard: true });
  const before = await head();

  const [answer] = await appendBatch(store.pool, store.tables, [append('hard')], cache, counters());
  expect(answer).toEqual({ ok: false, reason: 'stream_deleted', streamId: 'hard' });
  expect((await head()).position).toBe(before.position);
});

it('answers a member that expected a version another gateway moved past as wrong, and still writes the member beside it that expects nothing', async () => {
  const cache = new StreamVersionCache();
  await appendBatch(store.pool, store.tables, [append('expected'), append('free')], cache, counters());
  await neighbourAppends('expected');
  await neighbourAppends('free');

  const [wrong, free] = await appendBatch(store.pool, store.tables, [append('expected', { kind: 'exact', version: 0 }), append('free')], cache, counters());
  expect(wrong).toMatchObject({ ok: false, reason: 'wrong_expected_version', streamId: 'expected', actualVersion: 1 });
  expect(free).toMatchObject({ ok: true, streamId: 'free', version: 2 });
  expect(await streamRow('expected')).toMatchObject({ version: 1 });
});
