import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { storeTables } from '../../src/store/tables.js';
import { DEFAULT_STORE_APPEND } from '../support/append-function-calls.js';
import { clusterOf, pollUntil } from '../support/cluster-queries.js';
import { createTestDatabase } from '../support/database.js';
import { startPgCluster } from '../support/pg-cluster.js';
import { APPEND, type AppendData } from '../support/queries.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { appendSuccess, dataOf, newEvents, readStream, startTestGateway } from '../support/test-gateway.js';

/** The gateway's pool connections name themselves so in their startup message; its probes do not. */
const POOL_CONNECTIONS = 'application_name\u0000gater\u0000';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Registers how to undo what was just started, in reverse order after the test, pass or fail. */
function undoLater<T>(thing: T, undo: (thing: T) => Promise<void>): T {
  cleanups.push(() => undo(thing));
  return thing;
}

describe('a write whose connection dies before the answer', () => {
  it('is retried on the leader and stored once, even when the gateway made the event ids', async () => {
    const db = undoLater(await createTestDatabase(), (it) => it.drop());
    const proxy = undoLater(await startTcpProxy(Number(new URL(db.url).port)), (it) => it.close());
    const gw = undoLater(await startTestGateway({ databaseUrl: proxy.via(db.url) }), (it) => it.stop());
    await appendSuccess(gw, { streamId: 'warm-up', events: newEvents(1) });

    proxy.dropRepliesAfter(DEFAULT_STORE_APPEND);
    const answer = gw.gql<AppendData>(APPEND, { input: { streamId: 'lost-answer', events: [{ type: 'Paid', data: { amount: 5 } }] } });
    await pollUntil(async () => (await storedCount(db.url, 'lost-answer')) === 1, 'the append to commit behind the lost answer');
    proxy.cutAll();

    const result = dataOf(await answer).appendEvents;
    if (result.__typename !== 'AppendEventsSuccess') throw new Error(`append failed: ${JSON.stringify(result)}`);
    const stored = await readStream(gw, 'lost-answer');
    expect(stored.map((event) => [event.id, event.position])).toEqual(result.events.map((event) => [event.id, event.position]));
    expect(await storedCount(db.url, 'lost-answer')).toBe(1);
  });
});

describe('a read whose connection fails', () => {
  it('is served by another node: every read answers while the primary refuses the pool connections and still passes its probes', async () => {
    const cluster = undoLater(await startPgCluster(), (it) => it.destroy());
    const proxy = undoLater(await startTcpProxy(cluster.primary.port), (it) => it.close());
    const gw = undoLater(
      await startTestGateway({
        databaseUrl: `${proxy.via(cluster.primary.url)},${cluster.replica.url}`,
        // Probes far apart: the refused node stays HEALTHY on the strength of its probe session.
        env: { GATER_PROBE_INTERVAL_MS: '60000' },
      }),
      (it) => it.stop(),
    );
    const written = await appendSuccess(gw, { streamId: 'read-me', events: newEvents(3) });

    proxy.refuse(POOL_CONNECTIONS);
    for (let read = 0; read < 30; read++) {
      expect((await readStream(gw, 'read-me')).map((event) => event.id)).toEqual(written.events.map((event) => event.id));
    }

    expect(proxy.refused).toBeGreaterThan(0);
    const primary = (await clusterOf(gw)).nodes.find((node) => node.id === `127.0.0.1:${proxy.port}`);
    expect(primary).toMatchObject({ role: 'LEADER', health: 'HEALTHY' });
  });
});

async function storedCount(url: string, streamId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM ${storeTables('default').events} WHERE stream_id = $1`,
      [streamId],
    );
    return Number(rows[0]!.count);
  } finally {
    await client.end();
  }
}
