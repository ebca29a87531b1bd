import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { storeTables } from '../../src/store/tables.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { setStreamMetadata } from '../support/stream-metadata.js';
import { readStream, startTestGateway, storeView } from '../support/test-gateway.js';

/** The last schema released before stream metadata. */
const RELEASED = 6;
const tables = storeTables('default');
let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // The schema as a gateway of that release left it, applied the way migrate() does.
  await pool.query(`CREATE SCHEMA ${tables.schema}`);
  await pool.query(`CREATE TABLE ${tables.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())`);
  for (const migration of migrations.filter((each) => each.version <= RELEASED)) {
    await pool.query(migration.sql(tables));
    await pool.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
  }
  // Its data: two streams of 10 events each, interleaved, and a persistent subscription holding some of them.
  await pool.query(
    `INSERT INTO ${tables.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
     SELECT g, gen_random_uuid(), CASE WHEN g % 2 = 1 THEN 'old-a' ELSE 'old-b' END, (g - 1) / 2, 'Old', jsonb_build_object('n', g), '{}', 'application/json'
     FROM generate_series(1, 20) g`,
  );
  await pool.query(`INSERT INTO ${tables.streams} (stream_id, version) VALUES ('old-a', 9), ('old-b', 9)`);
  await pool.query(`UPDATE ${tables.head} SET position = 20, stream_count = 2`);
  await pool.query(
    `INSERT INTO ${tables.subscriptions} (name, type, selector, max_retries, ack_timeout_ms, max_in_flight, read_position)
     VALUES ('old-sub', 'by_stream', 'old-a', 5, 30000, 10, 20)`,
  );
  await pool.query(
    `INSERT INTO ${tables.inFlight} (subscription, event_id, position, delivery_count, due)
     SELECT 'old-sub', event_id, position, 1, now() + interval '1 hour' FROM ${tables.events} WHERE stream_id = 'old-a' AND version < 2`,
  );
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

it('migrates a store of the release before, with data in it, and its data takes stream metadata and retention', async () => {
  expect(await migrate(pool, tables)).toEqual(migrations.filter((each) => each.version > RELEASED).map((each) => each.version));

  const gw = await startTestGateway({ databaseUrl: database.url, env: { GATER_RETENTION_INTERVAL_MS: '86400000' } });
  try {
    expect(await storeView(gw)).toMatchObject({ streamCount: 2, eventCount: 20, headPosition: 20 });
    expect((await readStream(gw, 'old-a')).map((event) => event.data)).toEqual(Array.from({ length: 10 }, (_, v) => ({ n: 2 * v + 1 })));

    await setStreamMetadata(gw, { streamId: 'old-a', maxCount: 4, custom: { migrated: true } });
    expect((await readStream(gw, 'old-a')).map((event) => event.version)).toEqual([6, 7, 8, 9]);
    const retention = gw.gateway.stores.find(undefined)!.retention;
    while (await retention.pass({ maxEvents: 1000, maxStreams: 1000 }));
    expect(retention.counters.erasedEvents).toBe(6);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${tables.inFlight}`);
    expect(rows[0].n).toBe(0);
    expect(await storeView(gw)).toMatchObject({ streamCount: 2, eventCount: 14, headPosition: 20 });
    expect(await readStream(gw, 'old-b')).toHaveLength(10);
  } finally {
    await gw.stop({ keepDatabase: true });
  }
});
