import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isStalePlanError } from '../../src/store/log/append-batch.js';
import { deleteStream } from '../../src/store/log/delete-stream.js';
import type { StoreTables } from '../../src/store/tables.js';
import { CHECKED_RELEASE, CONDITIONS_RELEASE, THIS_RELEASE } from '../support/append-function-calls.js';
import { useMigratedStore } from '../support/migrated-store.js';

interface Assumed {
  streamId: string;
  version: number;
  deleted?: 'soft' | 'hard' | null;
  /** The plan writes no event to it, only counts on its state. */
  untouched?: boolean;
}

/** A way of calling the append function with a plan's deletion states, as a gateway of that release does. */
interface PlannedCall {
  sql(tables: StoreTables): string;
  args(assumed: Assumed[], freshIds: string[], eventIds: string[], conditions: string): unknown[];
}

/** The columns both versions take after the streams' states: the fresh ids, then one event per written stream. */
function eventColumns(written: Assumed[], freshIds: string[], eventIds: string[]): unknown[] {
  return [
    freshIds,
    eventIds,
    written.map((stream) => stream.streamId),
    written.map((stream) => stream.version + 1),
    written.map(() => 'Planned'),
    JSON.stringify(written.map(() => ({}))),
    JSON.stringify(written.map(() => null)),
    written.map(() => 'application/json'),
  ];
}

/** The streams' states as the versions from 009 on take them: assumed version, deletion state, version once written. */
function statesOf(assumed: Assumed[]): unknown[] {
  return [
    assumed.map((stream) => stream.streamId),
    assumed.map((stream) => stream.version),
    assumed.map((stream) => stream.deleted ?? null),
    assumed.map((stream) => (stream.untouched ? stream.version : stream.version + 1)),
  ];
}

/** With no stream flagged to move on, which the rebase tests cover. */
const THIS_RELEASE_WITH_STATES: PlannedCall = {
  sql: THIS_RELEASE.sql,
  args: (assumed, freshIds, eventIds, conditions) => [
    ...statesOf(assumed),
    assumed.map(() => false),
    ...eventColumns(assumed.filter((stream) => !stream.untouched), freshIds, eventIds),
    conditions,
  ],
};

const CHECKED_RELEASE_WITH_STATES: PlannedCall = {
  sql: CHECKED_RELEASE.sql,
  args: (assumed, freshIds, eventIds, conditions) => [...statesOf(assumed), ...eventColumns(assumed.filter((stream) => !stream.untouched), freshIds, eventIds), conditions],
};

const CONDITIONS_RELEASE_WITH_STATES: PlannedCall = {
  sql: CONDITIONS_RELEASE.sql,
  args: (assumed, freshIds, eventIds, conditions) => [
    assumed.map((stream) => stream.streamId),
    assumed.map((stream) => stream.version),
    assumed.map((stream) => stream.deleted ?? null),
    ...eventColumns(assumed.filter((stream) => !stream.untouched), freshIds, eventIds),
    conditions,
  ],
};

describe.each([
  ['plan_check_now', THIS_RELEASE_WITH_STATES],
  ['plan_check_checked', CHECKED_RELEASE_WITH_STATES],
  ['plan_check_conditions', CONDITIONS_RELEASE_WITH_STATES],
])('the append function called as a gateway of %s plans', (storeId, call) => {
  const store = useMigratedStore(storeId);

  /**
   * Calls the append function with a plan that assumes `assumed` of the touched
   * streams and writes one event to each (but the untouched) after the version
   * assumed; the first events take `freshIds`, which the plan holds to be new.
   * Answers as the gateway tells it: written, stale (NULL answers, or the
   * statement failed for it), or refused (a required condition matched).
   */
  async function appendWithPlan(assumed: Assumed[], freshIds: string[] = [], conditions = '[]'): Promise<'written' | 'stale' | 'refused'> {
    const eventIds = assumed.filter((stream) => !stream.untouched).map((_, index) => freshIds[index] ?? randomUUID());
    try {
      const { rows } = await store.pool.query<{ first_position: string | null; condition_positions: string[] | null }>(
        call.sql(store.tables),
        call.args(assumed, freshIds, eventIds, conditions),
      );
      if (rows[0]!.condition_positions === null) return 'stale';
      return rows[0]!.first_position === null ? 'refused' : 'written';
    } catch (error) {
      if (isStalePlanError(error)) return 'stale';
      throw error;
    }
  }

  async function storedVersion(streamId: string): Promise<number | undefined> {
    const { rows } = await store.pool.query<{ version: number }>(`SELECT version FROM ${store.tables.streams} WHERE stream_id = $1`, [streamId]);
    return rows[0]?.version;
  }

  it('writes a batch whose plan holds: new streams, streams at the version assumed, a soft-deleted stream assumed so', async () => {
    expect(await appendWithPlan([{ streamId: 'held-a', version: -1 }, { streamId: 'held-b', version: -1 }])).toBe('written');
    expect(await appendWithPlan([{ streamId: 'held-a', version: 0 }, { streamId: 'held-c', version: -1 }, { streamId: 'held-b', version: 0 }])).toBe('written');
    await deleteStream(store.pool, store.tables, { streamId: 'held-b', expected: { kind: 'any' }, hard: false });
    expect(await appendWithPlan([{ streamId: 'held-b', version: 1, deleted: 'soft' }, { streamId: 'held-a', version: 1 }])).toBe('written');
    expect([await storedVersion('held-a'), await storedVersion('held-b'), await storedVersion('held-c')]).toEqual([2, 2, 0]);
  });

  it('writes nothing when any stream of the plan moved, appeared, went or changed its deletion state since it was planned', async () => {
    expect(await appendWithPlan([{ streamId: 'moved', version: -1 }, { streamId: 'deleted', version: -1 }])).toBe('written');
    const head = async () => (await store.pool.query<{ position: string }>(`SELECT position FROM ${store.tables.head}`)).rows[0]!.position;
    const before = await head();

    // Another gateway appended to it: the plan is a version behind.
    expect(await appendWithPlan([{ streamId: 'unrelated', version: -1 }, { streamId: 'moved', version: -1 }])).toBe('stale');
    // Assumed stored, but never written.
    expect(await appendWithPlan([{ streamId: 'never-written', version: 4 }, { streamId: 'unrelated', version: -1 }])).toBe('stale');
    // Assumed stored and not deleted, but deleted since (soft, then hard).
    await deleteStream(store.pool, store.tables, { streamId: 'deleted', expected: { kind: 'any' }, hard: false });
    expect(await appendWithPlan([{ streamId: 'deleted', version: 0 }])).toBe('stale');
    await deleteStream(store.pool, store.tables, { streamId: 'deleted', expected: { kind: 'any' }, hard: true });
    expect(await appendWithPlan([{ streamId: 'deleted', version: 0, deleted: 'soft' }])).toBe('stale');
    // Assumed soft-deleted, but it is not.
    expect(await appendWithPlan([{ streamId: 'moved', version: 0, deleted: 'soft' }])).toBe('stale');

    expect(await head()).toBe(before);
    expect(await storedVersion('unrelated')).toBeUndefined();
  });

  it('writes nothing when an event id the plan took for fresh is stored', async () => {
    const id = randomUUID();
    expect(await appendWithPlan([{ streamId: 'fresh-a', version: -1 }], [id])).toBe('written');
    expect(await appendWithPlan([{ streamId: 'fresh-b', version: -1 }], [id])).toBe('stale');
    expect(await storedVersion('fresh-b')).toBeUndefined();
  });

  it("reads a batch's conditions only from a plan that holds: a retried append's own stored event does not fail it", async () => {
    const id = randomUUID();
    const claim = JSON.stringify([{ after: 0, required: true, types: ['Planned'], prefix: 'claimed' }]);
    expect(await appendWithPlan([{ streamId: 'claimed', version: -1 }], [id], claim)).toBe('written');
    // Retried as a gateway that remembers the stream plans it: the id is stored, so the plan is stale.
    expect(await appendWithPlan([{ streamId: 'claimed', version: 0 }], [id], claim)).toBe('stale');
    // With a new id the plan holds, and the stored event fails the condition.
    expect(await appendWithPlan([{ streamId: 'claimed', version: 0 }], [], claim)).toBe('refused');
    expect(await storedVersion('claimed')).toBe(0);
  });

  it('checks the streams a plan writes no event to, as well as those it writes', async () => {
    expect(await appendWithPlan([{ streamId: 'counted-on', version: -1 }])).toBe('written');
    expect(await appendWithPlan([{ streamId: 'counted-on', version: 0, untouched: true }, { streamId: 'beside', version: -1 }])).toBe('written');
    expect(await appendWithPlan([{ streamId: 'counted-on', version: -1, untouched: true }, { streamId: 'beside', version: 0 }])).toBe('stale');
    expect([await storedVersion('counted-on'), await storedVersion('beside')]).toEqual([0, 0]);
  });
});
