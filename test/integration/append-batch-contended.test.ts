import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { appendBatch } from '../../src/store/log/append-batch.js';
import type { BatchMember } from '../../src/store/log/append-plan.js';
import { StreamScope } from '../../src/store/stream-scope.js';
import { StreamVersionCache } from '../../src/store/log/stream-version-cache.js';
import type { NewEventData } from '../../src/store/types.js';
import { useMigratedStore } from '../support/migrated-store.js';

const store = useMigratedStore('contended');

const ticked = (writer: string): NewEventData => {
  const data = { writer };
  return { id: randomUUID(), idGenerated: true, type: 'Ticked', data, metadata: null, dataJson: JSON.stringify(data), metadataJson: 'null', contentType: 'application/json' };
};

const append = (streamId: string, writer: string, event = ticked(writer)): BatchMember => ({ parts: [{ streamId, expected: { kind: 'any' }, events: [event] }], multi: false });

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

it('appends to a stream another gateway keeps writing, once its plan went stale, by planning under the store lock', async () => {
  const { pool, neighbourAppends } = poolWithBusyNeighbour('shared');
  const cache = new StreamVersionCache();
  const counters = { events: 0, batches: 0 };

  const [first] = await appendBatch(pool, store.tables, [append('shared', 'this')], cache, counters);
  // Its first read was followed by the neighbour's append, which made the plan stale; the read under the lock was not.
  expect(neighbourAppends()).toBe(1);
  expect(first).toMatchObject({ ok: true, streamId: 'shared', version: 1 });

  // Right after, the gateway plans under the lock at once: the neighbour finds no moment to get in between.
  // Without the version it remembers, a plan made outside the lock would read the stream first, and let the neighbour in.
  cache.forget(['shared']);
  const [second] = await appendBatch(pool, store.tables, [append('shared', 'this')], cache, counters);
  expect(neighbourAppends()).toBe(1);
  expect(second).toMatchObject({ ok: true, streamId: 'shared', version: 2 });
  expect(counters).toEqual({ events: 2, batches: 2 });

  const { rows } = await store.pool.query(`SELECT version, data->>'writer' AS writer FROM ${store.tables.events} WHERE stream_id = 'shared' ORDER BY position`);
  expect(rows).toEqual([
    { version: 0, writer: 'neighbour' },
    { version: 1, writer: 'this' },
    { version: 2, writer: 'this' },
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
  const { pool, neighbourAppends } = poolWithBusyNeighbour('guarded');
  const cache = new StreamVersionCache();
  const counters = { events: 0, batches: 0 };
  await appendBatch(pool, store.tables, [append('guarded', 'this')], cache, counters);
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
  expect(stored.rows.map((row) => row.stream_id)).toEqual(['guarded', 'guarded', 'plain']);
});
