import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useLiveGateway, waitUntil, type Collected } from '../support/ws-client.js';

const infos: string[] = [];
const errors: { message: string; cause: unknown }[] = [];
const live = useLiveGateway({
  keepSubscriptions: true,
  log: { info: (message) => infos.push(message), error: (message, cause) => errors.push({ message, cause }) },
});

const SUBSCRIPTIONS = 300;

/**
 * The pid of the gateway's LISTEN session, from PostgreSQL's own list. The session is opened
 * once the first subscriber runs, so it is waited for until it has issued its LISTEN.
 */
async function listenerPid(databaseUrl: string): Promise<number> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'gater-listener' AND datname = current_database() AND query LIKE 'LISTEN%'`,
      );
      if (rows.length > 0 || Date.now() > deadline) {
        expect(rows).toHaveLength(1);
        return rows[0]!.pid;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await admin.end();
  }
}

describe('a connection pool with no connection free', () => {
  it('refuses subscriptions with CLUSTER_UNAVAILABLE naming the exhausted pool, logs it once, and keeps the LISTEN session and its subscribers', async () => {
    const keeper = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: '$all' });
    const pidBefore = await listenerPid(live.gw.databaseUrl);
    const pool = live.gw.gateway.cluster.nodes[0]!.readPool;
    // Every connection busy, and a wait for one cut short (the gateway waits 30 s) so that the test need not wait as long.
    const held = await Promise.all(Array.from({ length: pool.options.max! }, () => pool.connect()));
    const waitBefore = pool.options.connectionTimeoutMillis;
    pool.options.connectionTimeoutMillis = 300;
    infos.length = 0;
    errors.length = 0;
    let refused: Collected<EventView>[];
    try {
      const connections = await Promise.all(Array.from({ length: SUBSCRIPTIONS / 100 }, () => live.connect()));
      refused = Array.from({ length: SUBSCRIPTIONS }, (_, index) =>
        connections[index % connections.length]!.subscribe<EventView>(BY_STREAM, { streamId: `busy-${index}`, fromVersion: 0 }),
      );
      await waitUntil(() => refused.every((sub) => sub.done), 'every subscription to be refused');
    } finally {
      pool.options.connectionTimeoutMillis = waitBefore;
      for (const client of held) client.release();
    }

    const codes = new Set(refused.flatMap((sub) => sub.errors.map((error) => error.extensions?.code)));
    expect(codes).toEqual(new Set(['CLUSTER_UNAVAILABLE']));
    expect(refused[0]!.errors[0]!.message).toMatch(/connection pool is exhausted.*retry/);
    expect(errors).toEqual([]);
    expect(infos.filter((line) => /pool is exhausted|timeout exceeded/.test(line)).length).toBeLessThanOrEqual(3);

    // The tailer kept its own session: no LISTEN was lost, and the subscriber from before hears of new events at once.
    expect(infos.filter((line) => /LISTEN/.test(line))).toEqual([]);
    expect(await listenerPid(live.gw.databaseUrl)).toBe(pidBefore);
    const written = (await appendSuccess(live.gw, { streamId: 'after-the-flood', events: newEvents(1) })).events;
    expect(await keeper.waitForEvents(1)).toEqual(written);
  });
});
