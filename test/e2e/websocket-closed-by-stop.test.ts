import { randomUUID } from 'node:crypto';
import type net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { storeTables } from '../../src/store/tables.js';
import { rawWs } from '../support/raw-ws.js';
import { startTestGateway } from '../support/test-gateway.js';

const tables = storeTables('default');

/**
 * A client's mutation can cross the stopping gateway's close (1001) on the wire: the client
 * sent it before the close reached it. The gateway must then either answer it before the
 * socket closes, or not run it; never store an append whose answer cannot reach its client.
 */
describe('a WebSocket the stopping gateway has closed', () => {
  it('runs no operation that arrives after its close: what is stored was answered, what was not answered is not stored', async () => {
    const gw = await startTestGateway();
    const db = new pg.Client({ connectionString: gw.databaseUrl });
    try {
      const raw = await rawWs(gw.url);
      // The client reads nothing more for a while: it sends its mutation without having seen the close frame.
      const tcp = (raw.socket as unknown as { _socket: net.Socket })._socket;
      tcp.pause();
      const stopped = gw.stop({ keepDatabase: true });
      await sleep(200);
      const streamId = `crossed-close-${randomUUID()}`;
      const answer = raw.ask(
        JSON.stringify({
          query: 'mutation ($streamId: String!) { appendEvents(input: { streamId: $streamId, events: [{ type: "Crossed", data: {} }] }) { __typename } }',
          variables: { streamId },
        }),
      );
      await sleep(200);
      tcp.resume();
      const answered = await answer;
      await stopped;
      expect(raw.closes.map((close) => close.code)).toEqual([1001]);
      await db.connect();
      const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${tables.events} WHERE stream_id = $1`, [streamId]);
      const stored = rows[0]!.count === 1;
      expect({ stored, answeredSuccess: JSON.stringify(answered).includes('AppendEventsSuccess') }).toEqual({ stored, answeredSuccess: stored });
      expect(stored).toBe(false);
    } finally {
      await db.end().catch(() => undefined);
      await gw.dropDatabase();
    }
  });
});
