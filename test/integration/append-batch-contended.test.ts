import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { appendBatch } from '../../src/store/log/append-batch.js';
import type { BatchMember } from '../../src/store/log/append-plan.js';
import { StreamScope } from '../../src/store/stream-scope.js';
import { StreamVersionCache } from '../../src/store/log/stream-version-cache.js';
import type { AppendSuccess, ExpectedVersion, NewEventData } from '../../src/store/types.js';
import { useMigratedStore } from '../support/migrated-store.js';

const store = useMigratedStore('contended');

const ticked = (writer: string): NewEventData => {
  const data = { writer };
  return { id: randomUUID(), idGenerated: true, type: 'Ticked', data, metadata: null, dataJson: JSON.stringify(data), metadataJson: 'null', contentType: 'application/json' };
};

const append = (streamId: string, writer: string, event = ticked(writer), expected: ExpectedVersion = { kind: 'any' }): BatchMember => ({
  parts: [{ streamId, expected, events: [event] }],
  multi: false,
});

/**
 * The pool of a gateway whose neighbour appends to `streamId` each time this
 * one has just read the stream's version, whenever the store's lock is free
 * at that moment: what a busy second gateway does to it at random, here at
 * every chance.
 */
function poolWithBusyNeighbour(streamId: string): { pool: pg.Pool; neighbourAppends: () => number } {
  let appends = 0;
  const neighbourCache = new StreamVersionCache();
  const meddle = async () => {
    const { rows } = await store.pool.query<{ free: boolean }>(
      'SELECT CASE WHEN pg_try_advisory_lock(hashtext($1)) THEN pg_advisory_unlock(hashtext($1)) ELSE false END AS free',
      [store.tables.lockKey],
    );
    if (!rows[0]!.free) return;
    await appendBatch(store.pool, store.tables, [append(streamId, 'neighbour')], neighbourCache, { events: 0, batches: 0 });
    appends++;
  };
  const withMeddling = <T extends { query: pg.Pool['query'] }>(db: T): T =>
    new Proxy(db, {
      get(target, property, receiver) {
        if (property === 'query') {
          return async (...args: Parameters<pg.Pool['query']>) => {
            const result = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
            const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
            if (text.startsWith('SELECT stream_id, version, deleted FROM')) await meddle();
            return result;
          };
        }
        if (property === 'connect') return async () => withMeddling(await (target as unknown as pg.Pool).connect());
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return { pool: withMeddling(store.pool), neighbourAppends: () => appends };
}

it('moves an append that expects nothing of the stream on past another gateway\'s writes, in the one statement of its batch', async () => {
  const { pool, neighbourAppends } = poolWithBusyNeighbour('shared');
  const cache = new StreamVersionCache();
  const counters = { events: 0, batches: 0 };

  // The neighbour appends right after this gateway read the stream: the write finds it moved, and moves on past it.
  const [first] = await appendBatch(pool, store.tables, [append('shared', 'this')], cache, counters);
  expect(neighbourAppends()).toBe(1);
  expect(first).toMatchObject({ ok: true, streamId: 'shared', version: 1 });
  expect(cache.contended).toBe(false);
  expect(cache.get('shared')).toBe(1);

  // Once more while this gateway remembers version 1: its events go after the neighbour's, and so do its answer and what it remembers.
  await appendBatch(store.pool, store.tables, [append('shared', 'neighbour')], new StreamVersionCache(), { events: 0, batches: 0 });
  const [second] = await appendBatch(pool, store.tables, [append('shared', 'this'), append('shared', 'this')], cache, counters);
  expect(second).toMatchObject({ ok: true, streamId: 'shared', version: 3 });
  expect(cache.get('shared')).toBe(4);
  expect(counters).toEqual({ events: 3, batches: 2 });

  const { rows } = await store.pool.query(`SELECT position::int, version, data->>'writer' AS writer FROM ${store.tables.events} WHERE stream_id = 'shared' ORDER BY position`);
  expect(rows.map(({ version, writer }) => ({ version, writer }))).toEqual([
    { version: 0, writer: 'neighbour' },
    { version: 1, writer: 'this' },
    { version: 2, writer: 'neighbour' },
    { version: 3, writer: 'this' },
    { version: 4, writer: 'this' },
  ]);
  const { events, position } = second as AppendSuccess;
  expect(position).toBe(rows[3].position);
  expect(events.map((event) => [event.version, event.position])).toEqual([[3, rows[3].position]]);
});

it('appends with an expected version to a stream another gateway keeps writing, once its plan went stale, by planning under the store lock', async () => {
  await appendBatch(store.pool, store.tables, [append('locked', 'first')], new StreamVersionCache(), { events: 0, batches: 0 });
  const { pool, neighbourAppends } = poolWithBusyNeighbour('locked');
  const cache = new StreamVersionCache();
  const counters = { events: 0, batches: 0 };

  const [first] = await appendBatch(pool, store.tables, [append('locked', 'this', ticked('this'), { kind: 'stream_exists' })], cache, counters);
  // Its first read was followed by the neighbour's append, which made the plan stale; the read under the lock was not.
  expect(neighbourAppends()).toBe(1);
  expect(first).toMatchObject({ ok: true, streamId: 'locked', version: 2 });
  expect(cache.contended).toBe(true);

  // Right after, the gateway plans under the lock at once: the neighbour finds no moment to get in between.
  // Without the version it remembers, a plan made outside the lock would read the stream first, and let the neighbour in.
  cache.forget(['locked']);
  const [second] = await appendBatch(pool, store.tables, [append('locked', 'this', ticked('this'), { kind: 'stream_exists' })], cache, counters);
  expect(neighbourAppends()).toBe(1);
  expect(second).toMatchObject({ ok: true, streamId: 'locked', version: 3 });
  expect(counters).toEqual({ events: 2, batches: 2 });

  const { rows } = await store.pool.query(`SELECT version, data->>'writer' AS writer FROM ${store.tables.events} WHERE stream_id = 'locked' ORDER BY position`);
  expect(rows).toEqual([
    { version: 0, writer: 'first' },
    { version: 1, writer: 'neighbour' },
    { version: 2, writer: 'this' },
    { version: 3, writer: 'this' },
  ]);
});

it('answers a retried append as its first answer, and goes on planning from what it remembers', async () => {
  const cache = new StreamVersionCache();
  const counters = { events: 0, batches: 0 };
  const event = { ...ticked('client'), idGenerated: false };
  const [first] = await appendBatch(store.pool, store.tables, [append('retried', 'client', event)], cache, counters);
  // The plan from the remembered version takes the id for new; the write finds it stored, and the retry is recognised.
  const [again] = await appendBatch(store.pool, store.tables, [append('retried', 'client', { ...event })], cache, counters);
  expect(first).toMatchObject({ ok: true, streamId: 'retried', version: 0 });
  const { position } = first as { position: number };
  expect(again).toMatchObject({ ok: true, streamId: 'retried', version: 0, position });
  // A stored id says nothing of another gateway writing the same streams.
  expect(cache.contended).toBe(false);
  const { rows } = await store.pool.query(`SELECT count(*)::int AS events FROM ${store.tables.events} WHERE stream_id = 'retried'`);
  expect(rows[0].events).toBe(1);
});

it('under the store lock, refuses a member whose condition stored events match, and writes the rest of the batch', async () => {
  await appendBatch(store.pool, store.tables, [append('guarded', 'first')], new StreamVersionCache(), { events: 0, batches: 0 });
  const { pool, neighbourAppends } = poolWithBusyNeighbour('guarded');
  const cache = new StreamVersionCache();
  const counters = { events: 0, batches: 0 };
  await appendBatch(pool, store.tables, [append('guarded', 'this', ticked('this'), { kind: 'stream_exists' })], cache, counters);
  expect(cache.contended).toBe(true);

  const firstTickOfGuarded: BatchMember = {
    ...append('guarded', 'this'),
    condition: { after: 0, eventTypes: ['Ticked'], streamPrefix: 'guarded', scope: StreamScope.EVERY_STREAM },
  };
  const [refused, plain] = await appendBatch(pool, store.tables, [firstTickOfGuarded, append('plain', 'this')], cache, counters);
  const { rows } = await store.pool.query(`SELECT min(position)::int AS first FROM ${store.tables.events} WHERE stream_id = 'guarded'`);
  expect(refused).toEqual({ ok: false, reason: 'condition_failed', position: rows[0].first });
  expect(plain).toMatchObject({ ok: true, streamId: 'plain', version: 0 });
  expect(neighbourAppends()).toBe(1);
  const stored = await store.pool.query(`SELECT stream_id FROM ${store.tables.events} WHERE stream_id IN ('guarded', 'plain') ORDER BY position`);
  expect(stored.rows.map((row) => row.stream_id)).toEqual(['guarded', 'guarded', 'guarded', 'plain']);
});

it('makes a new id for an event whose id it made, when another gateway stored the same id first, and answers with the id it stored', async () => {
  const taken = ticked('neighbour');
  await appendBatch(store.pool, store.tables, [append('taken-id', 'neighbour', { ...taken, idGenerated: false })], new StreamVersionCache(), { events: 0, batches: 0 });

  const cache = new StreamVersionCache();
  const [answer] = await appendBatch(store.pool, store.tables, [append('taken-id', 'this', { ...ticked('this'), id: taken.id })], cache, { events: 0, batches: 0 });
  expect(answer).toMatchObject({ ok: true, streamId: 'taken-id', version: 1 });
  const [event] = (answer as AppendSuccess).events;
  expect(event!.id).not.toBe(taken.id);
  const { rows } = await store.pool.query(`SELECT event_id, data->>'writer' AS writer FROM ${store.tables.events} WHERE stream_id = 'taken-id' ORDER BY position`);
  expect(rows).toEqual([
    { event_id: taken.id, writer: 'neighbour' },
    { event_id: event!.id, writer: 'this' },
  ]);
  // Another gateway's id says nothing of streams written through both.
  expect(cache.contended).toBe(false);
});
