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
  // Seen here rather than by vitest's own handler, so that the test names what went wrong.
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', onUncaught);
  try {
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
    // An 'error' with no listener is thrown out of the socket's handler, and the session never ends.
    await waitUntil(() => ended || uncaught.length > 0, 'the terminated session to end');
    expect(uncaught).toEqual([]);
    await expect(session.query('SELECT 1')).rejects.toThrow();

    // The node goes on handing out sessions that work.
    const next = await node.connect();
    try {
      expect((await next.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await next.end();
    }
  } finally {
    process.off('uncaughtException', onUncaught);
  }
});
