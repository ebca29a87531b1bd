import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { appendBatch } from '../../src/store/log/append-batch.js';
import type { BatchMember } from '../../src/store/log/append-plan.js';
import { deleteStream } from '../../src/store/log/delete-stream.js';
import { storeStats } from '../../src/store/log/store-stats.js';
import { StreamVersionCache } from '../../src/store/log/stream-version-cache.js';
import { StreamScope } from '../../src/store/stream-scope.js';
import { storeTables } from '../../src/store/tables.js';
import type { AppendOutcome, NewEventData } from '../../src/store/types.js';
import { compileSubsetMatcher } from '../../src/subscriptions/matcher.js';
import { EARLIER_RELEASES, PREVIOUS_RELEASE, type AppendFunctionCall } from '../support/append-function-calls.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const tables = storeTables('upgraded');
let database: TestDatabase;
let pool: pg.Pool;

/** The schema as the release before this one left it: migrations 1 to 6. */
async function migrateToPreviousRelease(): Promise<void> {
  await pool.query(`CREATE SCHEMA ${tables.schema}`);
  await pool.query(`CREATE TABLE ${tables.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())`);
  for (const migration of migrations.filter((m) => m.version <= 6)) {
    await pool.query(migration.sql(tables));
    await pool.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
  }
}

/** Appends through the function as a gateway of an earlier release calls it; null when the plan was stale. */
async function oldAppend(call: AppendFunctionCall, streamId: string, assumed: number, count: number): Promise<number | null> {
  const texts = Array.from({ length: count }, (_, index) => JSON.stringify({ index }));
  const { rows } = await pool.query<{ first_position: string | null }>(call.sql(tables), [
    [streamId],
    [assumed],
    [],
    texts.map(() => randomUUID()),
    texts.map(() => streamId),
    texts.map((_, index) => assumed + 1 + index),
    texts.map(() => 'Old'),
    call.payloads(texts),
    call.payloads(texts),
    texts.map(() => 'application/json'),
  ]);
  return rows[0]!.first_position === null ? null : Number(rows[0]!.first_position);
}

const event = (): NewEventData => ({
  id: randomUUID(),
  idGenerated: false,
  type: 'New',
  data: {},
  metadata: null,
  dataJson: '{}',
  metadataJson: 'null',
  contentType: 'application/json',
});

async function newAppend(streamId: string, expected: BatchMember['parts'][0]['expected']): Promise<AppendOutcome> {
  const [outcome] = await appendBatch(pool, tables, [{ parts: [{ streamId, expected, events: [event()] }], multi: false }], new StreamVersionCache(), {
    events: 0,
    batches: 0,
  });
  return outcome as AppendOutcome;
}

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

it('upgrades a store of the previous release with data in it, and gateways of earlier releases keep appending, or fail clearly on a deleted stream', async () => {
  await migrateToPreviousRelease();
  expect(await oldAppend(PREVIOUS_RELEASE, 'old-a', -1, 3)).toBe(1);
  expect(await oldAppend(EARLIER_RELEASES, 'old-b', -1, 2)).toBe(4);

  expect(await migrate(pool, tables)).toEqual(migrations.filter((m) => m.version > 6).map((m) => m.version));
  expect(await storeStats(pool, tables)).toEqual({ streamCount: 2, eventCount: 5, headPosition: 5 });

  // Both old signatures still append to live streams, and keep the counts.
  expect(await oldAppend(PREVIOUS_RELEASE, 'old-a', 2, 1)).toBe(6);
  expect(await oldAppend(EARLIER_RELEASES, 'old-c', -1, 1)).toBe(7);
  expect(await oldAppend(PREVIOUS_RELEASE, 'old-a', 0, 1)).toBeNull();
  expect(await storeStats(pool, tables)).toEqual({ streamCount: 3, eventCount: 7, headPosition: 7 });

  expect(await deleteStream(pool, tables, { streamId: 'old-a', expected: { kind: 'exact', version: 3 }, hard: false })).toEqual({
    outcome: { ok: true, streamId: 'old-a', erasedEvents: 4 },
    erasure: { streamId: 'old-a', beforeVersion: 4 },
  });
  expect(await storeStats(pool, tables)).toEqual({ streamCount: 2, eventCount: 3, headPosition: 7 });
  // An old gateway still believes old-a is at version 3: it is refused with a reason, not let through.
  for (const call of [PREVIOUS_RELEASE, EARLIER_RELEASES]) {
    await expect(oldAppend(call, 'old-a', 3, 1)).rejects.toThrow(/stream "old-a" was deleted/);
  }
  await deleteStream(pool, tables, { streamId: 'old-b', expected: { kind: 'any' }, hard: true });
  await expect(oldAppend(PREVIOUS_RELEASE, 'old-b', 1, 1)).rejects.toThrow(/stream "old-b" was deleted/);

  // This release's gateway numbers on after the erased events.
  expect(await newAppend('old-a', { kind: 'no_stream' })).toMatchObject({ ok: true, version: 4, position: 8 });
  expect(await newAppend('old-b', { kind: 'any' })).toEqual({ ok: false, reason: 'stream_deleted', streamId: 'old-b' });
  expect(await storeStats(pool, tables)).toEqual({ streamCount: 2, eventCount: 2, headPosition: 8 });
  const { rows } = await pool.query(`SELECT stream_id, version, first_version, deleted FROM ${tables.streams} ORDER BY stream_id`);
  expect(rows).toEqual([
    { stream_id: 'old-a', version: 4, first_version: 4, deleted: null },
    { stream_id: 'old-b', version: 1, first_version: 0, deleted: 'hard' },
    { stream_id: 'old-c', version: 0, first_version: 0, deleted: null },
  ]);
});

it('matches condition patterns in SQL exactly as live patterns match in the gateway', async () => {
  const cases: [unknown, unknown][] = [
    [{ data: { a: 1 } }, { data: { a: 1, b: 2 } }],
    [{ data: { a: 1 } }, { data: { a: 2 } }],
    [{ data: { a: { b: [1, 2] } } }, { data: { a: { b: [1, 2], c: 3 } } }],
    [{ data: { tags: ['x'] } }, { data: { tags: ['x', 'y'] } }],
    [{ data: { tags: [{ k: 1 }] } }, { data: { tags: [{ k: 1, extra: true }] } }],
    [{ data: { n: null } }, { data: {} }],
    [{ data: { n: null } }, { data: { n: null } }],
    [{ data: 'text' }, { data: 'text' }],
    [{ data: 1 }, { data: 1.0 }],
    [{ data: {} }, { data: [] }],
    [{ streamId: 's', type: 't' }, { streamId: 's', type: 't', data: 5 }],
    [{ missing: 1 }, { streamId: 's' }],
  ];
  for (const [pattern, value] of cases) {
    const { rows } = await pool.query<{ matches: boolean }>(`SELECT ${tables.patternMatches}($1::jsonb, $2::jsonb) AS matches`, [
      JSON.stringify(pattern),
      JSON.stringify(value),
    ]);
    expect([pattern, value, rows[0]!.matches]).toEqual([pattern, value, compileSubsetMatcher(pattern)(value)]);
  }
  // The scope keeps a condition from seeing other streams: an event outside it never matches.
  const [outcome] = await appendBatch(
    pool,
    tables,
    [{ parts: [{ streamId: 'tenant-b-1', expected: { kind: 'any' }, events: [event()] }], condition: { after: 0, scope: StreamScope.of(['tenant-b-']) }, multi: false }],
    new StreamVersionCache(),
    { events: 0, batches: 0 },
  );
  expect(outcome).toMatchObject({ ok: true });
});
