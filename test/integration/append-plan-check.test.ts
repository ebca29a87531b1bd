import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { appendCall } from '../../src/store/log/append-batch.js';
import { deleteStream } from '../../src/store/log/delete-stream.js';
import { useMigratedStore } from '../support/migrated-store.js';

const store = useMigratedStore('plan_check');

interface Assumed {
  streamId: string;
  version: number;
  deleted?: 'soft' | 'hard' | null;
}

/**
 * Calls the append function as a gateway does, with a plan that assumes
 * `assumed` of the touched streams and writes one event per stream after the
 * version assumed; the first events take `freshIds`, which the plan holds to
 * be new. Answers whether it wrote (false: the plan was stale).
 */
async function appendWithPlan(assumed: Assumed[], freshIds: string[] = []): Promise<boolean> {
  const eventIds = assumed.map((_, index) => freshIds[index] ?? randomUUID());
  const { rows } = await store.pool.query<{ first_position: string | null; condition_positions: string[] | null }>(appendCall(store.tables), [
    assumed.map((stream) => stream.streamId),
    assumed.map((stream) => stream.version),
    assumed.map((stream) => stream.deleted ?? null),
    freshIds,
    eventIds,
    assumed.map((stream) => stream.streamId),
    assumed.map((stream) => stream.version + 1),
    assumed.map(() => 'Planned'),
    JSON.stringify(assumed.map(() => ({}))),
    JSON.stringify(assumed.map(() => null)),
    assumed.map(() => 'application/json'),
    '[]',
  ]);
  return rows[0]!.condition_positions !== null;
}

async function storedVersion(streamId: string): Promise<number | undefined> {
  const { rows } = await store.pool.query<{ version: number }>(`SELECT version FROM ${store.tables.streams} WHERE stream_id = $1`, [streamId]);
  return rows[0]?.version;
}

it('writes a batch whose plan holds: new streams, streams at the version assumed, a soft-deleted stream assumed so', async () => {
  expect(await appendWithPlan([{ streamId: 'held-a', version: -1 }, { streamId: 'held-b', version: -1 }])).toBe(true);
  expect(await appendWithPlan([{ streamId: 'held-a', version: 0 }, { streamId: 'held-c', version: -1 }, { streamId: 'held-b', version: 0 }])).toBe(true);
  await deleteStream(store.pool, store.tables, { streamId: 'held-b', expected: { kind: 'any' }, hard: false });
  expect(await appendWithPlan([{ streamId: 'held-b', version: 1, deleted: 'soft' }, { streamId: 'held-a', version: 1 }])).toBe(true);
  expect([await storedVersion('held-a'), await storedVersion('held-b'), await storedVersion('held-c')]).toEqual([2, 2, 0]);
});

it('writes nothing when any stream of the plan moved, appeared, went or changed its deletion state since it was planned', async () => {
  expect(await appendWithPlan([{ streamId: 'moved', version: -1 }, { streamId: 'deleted', version: -1 }])).toBe(true);
  const head = async () => (await store.pool.query<{ position: string }>(`SELECT position FROM ${store.tables.head}`)).rows[0]!.position;
  const before = await head();

  // Another gateway appended to it: the plan is a version behind.
  expect(await appendWithPlan([{ streamId: 'unrelated', version: -1 }, { streamId: 'moved', version: -1 }])).toBe(false);
  // Assumed stored, but never written.
  expect(await appendWithPlan([{ streamId: 'never-written', version: 4 }, { streamId: 'unrelated', version: -1 }])).toBe(false);
  // Assumed stored and not deleted, but deleted since (soft, then hard).
  await deleteStream(store.pool, store.tables, { streamId: 'deleted', expected: { kind: 'any' }, hard: false });
  expect(await appendWithPlan([{ streamId: 'deleted', version: 0 }])).toBe(false);
  await deleteStream(store.pool, store.tables, { streamId: 'deleted', expected: { kind: 'any' }, hard: true });
  expect(await appendWithPlan([{ streamId: 'deleted', version: 0, deleted: 'soft' }])).toBe(false);
  // Assumed soft-deleted, but it is not.
  expect(await appendWithPlan([{ streamId: 'moved', version: 0, deleted: 'soft' }])).toBe(false);

  expect(await head()).toBe(before);
  expect(await storedVersion('unrelated')).toBeUndefined();
});

it('writes nothing when an event id the plan took for fresh is stored', async () => {
  const id = randomUUID();
  expect(await appendWithPlan([{ streamId: 'fresh-a', version: -1 }], [id])).toBe(true);
  expect(await appendWithPlan([{ streamId: 'fresh-b', version: -1 }], [id])).toBe(false);
  expect(await storedVersion('fresh-b')).toBeUndefined();
});
