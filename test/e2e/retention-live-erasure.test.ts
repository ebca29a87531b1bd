import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeTables } from '../../src/store/tables.js';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { setStreamMetadata } from '../support/stream-metadata.js';
import { appendSuccess, newEvents, readAll } from '../support/test-gateway.js';
import { useLiveGateway, waitUntil } from '../support/ws-client.js';

// Small passes with no pause between them: erasure runs all through the test.
const live = useLiveGateway({
  env: { GATER_RETENTION_INTERVAL_MS: '10', GATER_RETENTION_BUSY_PAUSE_MS: '0', GATER_RETENTION_BATCH_EVENTS: '5' },
});
const tables = storeTables('default');
let db: pg.Pool;
beforeAll(() => {
  db = new pg.Pool({ connectionString: live.gw.databaseUrl, max: 1 });
});
afterAll(async () => {
  await db?.end();
});

const CHURN = ['churn-0', 'churn-1', 'churn-2'];
const KEPT_PER_STREAM = 3;

/** One round: two events to a stream whose older events retention erases, one to a stream it leaves alone. */
async function round(index: number): Promise<EventView[]> {
  const churned = await appendSuccess(live.gw, { streamId: CHURN[index % CHURN.length]!, events: newEvents(2) });
  const kept = await appendSuccess(live.gw, { streamId: 'steady', events: newEvents(1) });
  return [...churned.events, ...kept.events];
}

it('a live $all subscriber running while retention erases sees every surviving event exactly once, in order', async () => {
  for (const streamId of CHURN) await setStreamMetadata(live.gw, { streamId, maxCount: KEPT_PER_STREAM });
  const written: EventView[] = [];
  for (let index = 0; index < 30; index++) written.push(...(await round(index)));

  // Its replay reads history while passes cut holes in it; then it is live while they go on.
  const sub = live.ws.subscribe<EventView>(BY_STREAM, { streamId: '$all', fromPosition: 1 });
  const writers = [0, 1, 2].map(async (writer) => {
    for (let index = 0; index < 30; index++) written.push(...(await round(writer + index)));
  });
  await Promise.all(writers);
  const retention = live.gw.gateway.stores.find(undefined)!.retention;
  await waitUntil(() => retention.counters.erasedEvents > 0, 'the first erasure');

  // Erasure has caught up when every churned stream holds only what its limit keeps.
  let settled = false;
  const deadline = Date.now() + 15_000;
  while (!settled && Date.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${tables.events} WHERE stream_id = ANY($1::text[])`, [CHURN]);
    settled = rows[0]!.n === CHURN.length * KEPT_PER_STREAM;
    if (!settled) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(settled).toBe(true);

  const [marker] = (await appendSuccess(live.gw, { streamId: 'steady', events: newEvents(1, 'Marker') })).events;
  await waitUntil(() => sub.events.some((event) => event.id === marker!.id) || sub.errors.length > 0, 'the marker');
  expect(sub.errors).toEqual([]);

  const received = sub.events;
  const positions = received.map((event) => event.position);
  expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
  const writtenIds = new Set([...written, marker!].map((event) => event.id));
  expect(received.every((event) => writtenIds.has(event.id))).toBe(true);

  const survivors = await readAll(live.gw);
  const receivedIds = new Set(received.map((event) => event.id));
  expect(survivors.filter((event) => !receivedIds.has(event.id))).toEqual([]);
  expect(survivors.filter((event) => event.streamId === 'steady')).toHaveLength(121);
  expect(retention.counters.erasedEvents).toBe(written.length + 1 - survivors.length);
});
