import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../bench/gateway-process.js';
import { storeTables } from '../../src/store/tables.js';
import { errorCodes, pollUntil } from '../support/cluster-queries.js';
import { scrapeMetrics } from '../support/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { consume, executeOverWs, saveSubscription } from '../support/persistent.js';
import { APPEND, BY_STREAM, type AppendData, type EventView } from '../support/queries.js';
import { postGraphQL, type GraphQLResponse } from '../support/test-gateway.js';
import { connectWs, type WsConnection } from '../support/ws-client.js';

const tables = storeTables('default');

type Outcome = 'stored' | 'failed' | 'unknown';

interface Answered {
  ids: string[];
  outcome: Outcome;
}

/** What a client makes of an append's answer: success, WRITE_OUTCOME_UNKNOWN, or any other failure (a refused connection included). */
function outcomeOf(response: GraphQLResponse<AppendData> | Error): Outcome {
  if (response instanceof Error) return 'failed';
  if (response.data?.appendEvents?.__typename === 'AppendEventsSuccess') return 'stored';
  return errorCodes(response).includes('WRITE_OUTCOME_UNKNOWN') ? 'unknown' : 'failed';
}

const eventsWithIds = (count: number) => Array.from({ length: count }, () => ({ id: randomUUID(), type: 'Drained', data: { at: Date.now() } }));

// SIGTERM is what an orchestrator sends; SIGINT is a Ctrl-C in the terminal that ran npm start.
describe.each(['SIGTERM', 'SIGINT'] as const)('a gateway process told to stop (%s)', (signal) => {
  let database: TestDatabase;
  let gateway: GatewayProcess | undefined;
  const connections: WsConnection[] = [];

  afterAll(async () => {
    for (const connection of connections) await connection.dispose().catch(() => undefined);
    await gateway?.stop();
    await database?.drop();
  });

  it('stops accepting, answers what it took on, closes WebSockets with 1001, hands back persistent deliveries, and answers no stored append as failed', async () => {
    database = await createTestDatabase();
    gateway = await startGatewayProcess(database.url, { env: { GATER_SHUTDOWN_TIMEOUT_MS: '20000' } });
    const gw = gateway;
    const client = { url: gw.url, gql: <T>(query: string, variables?: Record<string, unknown>) => postGraphQL<T>(gw.url, query, variables) };
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      // A persistent consumer holding deliveries, and a live subscriber, each on a connection of its own.
      await saveSubscription(client, { name: 'held', type: 'BY_STREAM', selector: 'held', ackTimeoutMs: 600_000 });
      const consumerConnection = await connectWs({ url: gw.url, gateway: undefined as never });
      const liveConnection = await connectWs({ url: gw.url, gateway: undefined as never });
      connections.push(consumerConnection, liveConnection);
      const consumer = consume(consumerConnection, 'held');
      liveConnection.subscribe<EventView>(BY_STREAM, { streamId: '$all' });
      await client.gql(APPEND, { input: { streamId: 'held', events: eventsWithIds(3) } });
      await consumer.waitForEvents(3);
      await pollUntil(async () => (await leasedCount(db)) === 3, 'the three deliveries to be leased');

      // Appends that cannot commit until the test lets them: it holds the store's append lock.
      const locker = new pg.Client({ connectionString: database.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT pg_advisory_xact_lock(hashtext($1))', [tables.lockKey]);
      const answered: Promise<Answered>[] = [];
      const appendOverHttp = (streamId: string) => {
        const events = eventsWithIds(5);
        return postGraphQL<AppendData>(gw.url, APPEND, { input: { streamId, events } })
          .catch((error: Error) => error)
          .then((response) => ({ ids: events.map((event) => event.id), outcome: outcomeOf(response) }));
      };
      for (let index = 0; index < 6; index++) answered.push(appendOverHttp(`blocked-${index}`));
      const overWsEvents = eventsWithIds(2);
      const overWs = executeOverWs<AppendData>(liveConnection.client, APPEND, { input: { streamId: 'blocked-ws', events: overWsEvents } }).then(
        outcomeOf,
        (): Outcome => 'failed',
      );
      await pollUntil(async () => (await waitingForTheLock(db)) >= 1, 'an append batch to wait for the lock');
      // Taken on, every one of them: the six over HTTP, the one over graphql-ws, and the scrape that asks.
      const origin = new URL(gw.url).origin;
      await pollUntil(async () => (await scrapeMetrics(origin)).samples.get('gater_requests_in_flight')! >= 8, 'the gateway to take on all seven appends');

      process.kill(gw.pid, signal);
      // Clients keep writing all along; once the gateway stops accepting, their appends fail before anything is sent.
      let writing = true;
      const writers = Array.from({ length: 3 }, async (_, writer) => {
        while (writing) {
          answered.push(appendOverHttp(`writer-${writer}`));
          await answered[answered.length - 1];
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      await pollUntil(async () => (await fetch(gw.url).then(() => false, () => true)), 'the gateway to refuse new connections', 5_000);
      expect(await Promise.race([gw.exited.then(() => 'exited'), new Promise((resolve) => setTimeout(() => resolve('still draining'), 300))])).toBe(
        'still draining',
      );

      await locker.query('COMMIT');
      await locker.end();
      expect(await gw.exited).toBe(0);
      writing = false;
      await Promise.all(writers);

      const answers = await Promise.all(answered);
      expect(answers.slice(0, 6).map((answer) => answer.outcome)).toEqual(Array(6).fill('stored'));
      expect(await overWs).toBe('stored');
      const stored = await storedIds(db);
      for (const { ids, outcome } of answers) {
        if (outcome === 'stored') expect(ids.every((id) => stored.has(id))).toBe(true);
        if (outcome === 'failed') expect(ids.some((id) => stored.has(id))).toBe(false);
      }
      expect(overWsEvents.every((event) => stored.has(event.id))).toBe(true);

      expect(consumerConnection.closes.map((close) => close.code)).toEqual([1001]);
      expect(liveConnection.closes.map((close) => close.code)).toEqual([1001]);
      // What the consumer held is due again at once, for a consumer elsewhere.
      expect(await leasedCount(db)).toBe(0);
      expect(await inFlightCount(db)).toBe(3);
      expect(gw.output()).not.toMatch(/"level":"error"|unexpected error/i);
    } finally {
      await db.end();
    }
  });
});

async function leasedCount(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${tables.inFlight} WHERE consumer_id IS NOT NULL`);
  return rows[0]!.count;
}

async function inFlightCount(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${tables.inFlight}`);
  return rows[0]!.count;
}

async function waitingForTheLock(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'",
  );
  return rows[0]!.count;
}

async function storedIds(db: pg.Client): Promise<Set<string>> {
  const { rows } = await db.query<{ event_id: string }>(`SELECT event_id FROM ${tables.events}`);
  return new Set(rows.map((row) => row.event_id));
}
