import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { claimFresh } from '../../src/store/persistent/claim-fresh.js';
import { removeSubscription } from '../../src/store/persistent/remove-subscription.js';
import { replayParked } from '../../src/store/persistent/replay-parked.js';
import { storeTables } from '../../src/store/tables.js';
import type { RecordedEvent } from '../../src/store/types.js';
import { saveSubscription, subscriptionView } from '../support/persistent.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();
const tables = storeTables('default');
const sessions: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.end()));
});

async function session(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: gw.databaseUrl });
  await client.connect();
  sessions.push(client);
  return client;
}

async function backendPid(db: pg.Client): Promise<number> {
  return (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
}

/** Until the session `pid` waits for a lock: the removal, for the claim's lock on the subscription's row. */
async function waitForLock(db: pg.Client, pid: number): Promise<void> {
  for (;;) {
    const { rows } = await db.query<{ waiting: boolean }>(`SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`, [pid]);
    if (rows[0]?.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function leases(db: pg.Client, subscription: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${tables.inFlight} WHERE subscription = $1`, [subscription]);
  return rows[0]!.count;
}

it('removing a subscription while a claim of it has not committed leaves none of that claim’s leases behind', async () => {
  await saveSubscription(gw, { name: 'racing', type: 'BY_STREAM', selector: 'racing' });
  const from = (await subscriptionView(gw, 'racing')).checkpoint;
  const events = (await appendSuccess(gw, { streamId: 'racing', events: newEvents(3) })).events;
  const claimer = await session();
  const remover = await session();
  const watcher = await session();
  const removerPid = await backendPid(remover);

  await claimer.query('BEGIN');
  const [saved] = await gw.gateway.stores.find('default')!.persistent.list({ name: 'racing', consumerStaleMs: 60_000 });
  const claimed = await claimFresh(claimer as unknown as pg.Pool, tables, {
    subscription: 'racing',
    incarnation: saved!.incarnation,
    gatewayId: randomUUID(),
    from,
    to: events[2]!.position,
    events: events as unknown as RecordedEvent[],
    consumerIds: events.map(() => randomUUID()),
    ackTimeoutMs: 60_000,
  });
  expect(claimed).toEqual({ moved: true, erased: [] });
  const removal = removeSubscription(remover as unknown as pg.Pool, tables, 'racing');
  await waitForLock(watcher, removerPid);
  await claimer.query('COMMIT');

  expect(await removal).toBe(true);
  expect(await leases(watcher, 'racing')).toBe(0);
});

it('removing a subscription while a replay of its parked events has not committed leaves none of them in flight', async () => {
  await saveSubscription(gw, { name: 'replaying', type: 'BY_STREAM', selector: 'replaying' });
  const events = (await appendSuccess(gw, { streamId: 'replaying', events: newEvents(2) })).events;
  const replayer = await session();
  const remover = await session();
  const watcher = await session();
  const removerPid = await backendPid(remover);
  for (const event of events) {
    await watcher.query(`INSERT INTO ${tables.parked} (subscription, position, event_id, retry_count) VALUES ($1, $2, $3, 3)`, ['replaying', event.position, event.id]);
  }

  await replayer.query('BEGIN');
  expect(await replayParked(replayer as unknown as pg.Pool, tables, 'replaying')).toBe(2);
  const removal = removeSubscription(remover as unknown as pg.Pool, tables, 'replaying');
  await waitForLock(watcher, removerPid);
  await replayer.query('COMMIT');

  expect(await removal).toBe(true);
  expect(await leases(watcher, 'replaying')).toBe(0);
});
