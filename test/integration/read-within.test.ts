import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readWithin } from '../../src/cluster/read-within.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

const sleeping = async (): Promise<number> => {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(3600)%'`);
  return rows[0]!.n;
};

it('answers what a read found when it ends in time', async () => {
  expect(await readWithin(pool, 10_000, async (client) => (await client.query<{ n: number }>('SELECT 41 + 1 AS n')).rows[0]!.n)).toBe(42);
});

it('gives up a read that runs too long: it is cancelled, its connection is not lent again, and the pool goes on', async () => {
  expect(await readWithin(pool, 50, (client) => client.query('SELECT pg_sleep(3600)'))).toBeUndefined();
  // The only connection of the pool was closed: the next query runs on a new one, and nothing still sleeps.
  expect(await sleeping()).toBe(0);
});

it('gives up a read that cannot get a connection in time, and leaves the pool as it was', async () => {
  const held = await pool.connect();
  try {
    expect(await readWithin(pool, 50, async (client) => (await client.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n)).toBeUndefined();
  } finally {
    held.release();
  }
  expect((await pool.query<{ n: number }>('SELECT 2 AS n')).rows[0]!.n).toBe(2);
  expect(pool.waitingCount).toBe(0);
});

it('answers undefined for a read that fails', async () => {
  expect(await readWithin(pool, 10_000, (client) => client.query('SELECT * FROM no_such_table'))).toBeUndefined();
  expect((await pool.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n).toBe(1);
});
