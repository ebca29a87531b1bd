import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendCheckedByItsWrites } from '../../src/store/migrations/009-append-checked-by-its-writes.js';
import { storeTables } from '../../src/store/tables.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { appendSuccess, newEvents, readStream, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const tables = storeTables('default');
let db: TestDatabase;
let gw: TestGateway;

beforeAll(async () => {
  db = await createTestDatabase();
  gw = await startTestGateway({ databaseUrl: db.url });
});

afterAll(async () => {
  await gw?.stop();
  await db?.drop();
});

/** Drops the append function and creates it again, as a later release's migration may while gateways of this one run. */
async function replaceAppendFunction(): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ signature: string }>(
      `SELECT oid::regprocedure::text AS signature FROM pg_proc WHERE pronamespace = $1::regnamespace AND proname = 'append_batch' AND pronargs = 13`,
      [tables.schema],
    );
    expect(rows).toHaveLength(1);
    await client.query('BEGIN');
    await client.query(`DROP FUNCTION ${rows[0]!.signature}`);
    await client.query(appendCheckedByItsWrites(tables));
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

it('keeps appending when the append function it has been calling is dropped and created again', async () => {
  // Several appends, so that the connections they went through hold the statement prepared.
  for (let round = 0; round < 12; round++) await appendSuccess(gw, { streamId: 'before', events: newEvents(1) });

  await replaceAppendFunction();

  const after = await Promise.all(Array.from({ length: 12 }, (_, index) => appendSuccess(gw, { streamId: `after-${index % 3}`, events: newEvents(2) })));
  expect(after.every((result) => result.events.length === 2)).toBe(true);
  expect(await readStream(gw, 'before')).toHaveLength(12);
  expect((await Promise.all([0, 1, 2].map((index) => readStream(gw, `after-${index}`)))).map((events) => events.length)).toEqual([8, 8, 8]);
});
