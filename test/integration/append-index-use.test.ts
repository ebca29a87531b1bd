import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { storeTables } from '../../src/store/tables.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const tables = storeTables('plans');
let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await migrate(pool, tables);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

interface Event {
  id: string;
  streamId: string;
  version: number;
}

/** Calls the store's append function as the gateway does; every id is client-given, so it is looked for among stored events. */
async function appendBatch(client: pg.ClientBase, assumed: Map<string, number>, events: Event[]): Promise<void> {
  const { rows } = await client.query<{ first_position: string | null }>(
    `SELECT first_position FROM ${tables.appendFunction}(
       $1::text[], $2::int[], $3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[])`,
    [
      [...assumed.keys()],
      [...assumed.values()],
      events.map((e) => e.id),
      events.map((e) => e.id),
      events.map((e) => e.streamId),
      events.map((e) => e.version),
      events.map(() => 'Happened'),
      events.map(() => '{}'),
      events.map(() => '{}'),
      events.map(() => 'application/json'),
    ],
  );
  expect(rows[0]!.first_position).not.toBeNull();
}

const oneEvent = (streamId: string, version: number): Event => ({ id: randomUUID(), streamId, version });

it('keeps every lookup of an append on an index, however much the log grew since the connection first appended', async () => {
  const client = await pool.connect();
  try {
    // A connection that appends to an empty store first: PostgreSQL caches its plans then.
    for (let version = 0; version < 10; version++) {
      await appendBatch(client, new Map([['early', version - 1]]), [oneEvent('early', version)]);
    }
    const many = Array.from({ length: 5000 }, (_, index) => oneEvent(`stream-${index}`, 0));
    await appendBatch(client, new Map(many.map((e) => [e.streamId, -1])), many);

    const plans: string[] = [];
    client.on('notice', (notice) => plans.push(notice.message ?? ''));
    await client.query(`LOAD 'auto_explain'`);
    await client.query(`SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET client_min_messages = log`);
    await appendBatch(client, new Map([['stream-42', 0]]), [oneEvent('stream-42', 1)]);
    await client.query('RESET client_min_messages');

    const text = plans.join('\n');
    expect(text).toContain(tables.events);
    expect(text).not.toMatch(/Seq Scan on (events|streams)/);
  } finally {
    client.release();
  }
});
