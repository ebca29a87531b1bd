import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresNode } from '../../src/cluster/node.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { waitUntil } from '../support/ws-client.js';

let database: TestDatabase;
let node: PostgresNode;

beforeAll(async () => {
  database = await createTestDatabase();
  node = new PostgresNode({ url: database.url, embedded: false, log: () => undefined });
});
afterAll(async () => {
  await node?.close();
  await database?.drop();
});

it('a LISTEN session the server terminates before its holder listens for errors does not crash the gateway', async () => {
  // As when a gateway stops while a session it asked for is still being handed over, and the database goes.
  const session = await node.connect();
  const { rows } = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  let ended = false;
  session.once('end', () => (ended = true));

  const admin = await node.pool.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
  } finally {
    admin.release();
  }
  // An 'error' with no listener would surface here as an uncaught exception and fail the run.
  await waitUntil(() => ended, 'the terminated session to end');
  expect(ended).toBe(true);
});
