import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll, type ReadAllOptions } from '../../src/store/log/read-all.js';
import { readStream } from '../../src/store/log/read-stream.js';
import { useMigratedStore } from '../support/migrated-store.js';

const store = useMigratedStore('retention_plans');
const { tables } = store;
const EVENTS = 120_000;
const STREAMS = 1_000;

/** The statement a read would send, with its parameters, without running it. */
async function statementOf(read: (db: pg.Pool) => Promise<unknown>): Promise<{ text: string; values: unknown[] }> {
  let captured: { text: string; values: unknown[] } | undefined;
  const db = {
    // A read passes its statement as text and values, or as one config object (with row types, say).
    query: async (statement: string | pg.QueryConfig, values?: unknown[]) => {
      captured = typeof statement === 'string' ? { text: statement, values: values ?? [] } : { text: statement.text, values: statement.values ?? [] };
      return { rows: [] };
    },
  } as unknown as pg.Pool;
  await read(db);
  return captured!;
}

/** EXPLAIN ANALYZE of what a read sends, as text. */
async function plan(read: (db: pg.Pool) => Promise<unknown>): Promise<string> {
  const { text, values } = await statementOf(read);
  const { rows } = await store.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${text}`, values);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

const page = (options: Partial<ReadAllOptions>): ReadAllOptions => ({
  direction: 'forward',
  fromPosition: 50_000,
  eventTypes: undefined,
  streamPrefix: undefined,
  limit: 100,
  ...options,
});

beforeAll(async () => {
  await store.pool.query(
    `INSERT INTO ${tables.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
     SELECT g, gen_random_uuid(), 's-' || (g % ${STREAMS}), g / ${STREAMS}, 'Happened', '{}', '{}', 'application/json'
     FROM generate_series(1, ${EVENTS}) g`,
  );
  await store.pool.query(
    `INSERT INTO ${tables.streams} (stream_id, version) SELECT stream_id, max(version) FROM ${tables.events} GROUP BY stream_id`,
  );
  await store.pool.query(`UPDATE ${tables.head} SET position = ${EVENTS}, stream_count = ${STREAMS}`);
  await store.pool.query(`ANALYZE ${tables.events}; ANALYZE ${tables.streams}`);
});

describe(`$all keyset reads over ${EVENTS} events`, () => {
  it('with no stream metadata, scan the position index and never look retention up per event', async () => {
    await store.pool.query(`INSERT INTO ${tables.streamMetadata} (stream_id, custom) VALUES ('s-1', '{"only":"custom"}')`);
    for (const direction of ['forward', 'backward'] as const) {
      const text = await plan((db) => readAll(db, tables, page({ direction })));
      expect(text).toMatch(/Index Scan( Backward)? using events_pkey on events e/);
      expect(text).not.toMatch(/Seq Scan on events/);
      // The per-event lookup sits behind the one-off test that no stream has limits.
      expect(text).toMatch(/on stream_metadata m \(never executed\)/);
      // A page of 100 reads 101 rows: the one past it tells whether more follow.
      expect(text).toMatch(/on events e \(actual rows=101 loops=1\)/);
    }
  });

  it('with a few streams limited, still scan the position index and stop at the page', async () => {
    await store.pool.query(
      `INSERT INTO ${tables.streamMetadata} (stream_id, max_count, truncate_before)
       VALUES ('s-2', 5, NULL), ('s-3', NULL, 100), ('s-4', 1, 3)`,
    );
    for (const direction of ['forward', 'backward'] as const) {
      const text = await plan((db) => readAll(db, tables, page({ direction })));
      expect(text).toMatch(/Index Scan( Backward)? using events_pkey on events e/);
      expect(text).not.toMatch(/Seq Scan on events/);
      expect(text).toMatch(/Limit \(actual rows=101 loops=1\)/);
      // Rows past the page's 101 are the hidden ones the filter stepped over, no more.
      const scanned = Number(/on events e \(actual rows=(\d+) loops=1\)/.exec(text)?.[1]);
      expect(scanned).toBeGreaterThanOrEqual(101);
      expect(scanned).toBeLessThan(120);
    }
    const stream = await plan((db) => readStream(db, tables, { streamId: 's-2', direction: 'forward', fromVersion: 0, limit: 100 }));
    // The index scan itself starts past the versions maxCount hides: it reads the 5 kept events, not all 120.
    expect(stream).toMatch(/Index Scan (using|on) events_stream_id_version_key( on events e)? \(actual rows=5 loops=1\)/);
    expect(stream).not.toMatch(/Seq Scan on events/);
  });
});
