import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { storeTables } from '../../src/store/tables.js';
import { DEFAULT_STORE_APPEND } from '../support/append-function-calls.js';
import { errorCodes, pollUntil } from '../support/cluster-queries.js';
import { createTestDatabase } from '../support/database.js';
import { startPgCluster, waitForSynchronousStandby, type PgCluster } from '../support/pg-cluster.js';
import { APPEND, type AppendData } from '../support/queries.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { appendSuccess, newEvents, readStream, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const WRITE_TIMEOUT_MS = 1_500;
/** What the answer may take beyond the write timeout: a turn of the event loop and the HTTP round trip. */
const ANSWER_SLACK_MS = 750;
/** The gateway's pool connections name themselves so in their startup message; its probes do not. */
const POOL_CONNECTIONS = 'application_name\u0000gater\u0000';

/** Posts an append and answers the response with how long it took. */
async function timedAppend(gw: TestGateway, streamId: string, events: ReturnType<typeof newEvents>) {
  const started = performance.now();
  const response = await gw.gql<AppendData>(APPEND, { input: { streamId, events } });
  return { response, tookMs: performance.now() - started };
}

describe('an append whose answer never comes', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function gatewayBehindProxy() {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const proxy = await startTcpProxy(Number(new URL(db.url).port));
    cleanups.push(() => proxy.close());
    const gw = await startTestGateway({ databaseUrl: proxy.via(db.url), env: { GATER_WRITE_TIMEOUT_MS: String(WRITE_TIMEOUT_MS) } });
    cleanups.push(() => gw.stop());
    await appendSuccess(gw, { streamId: 'warm-up', events: newEvents(1) });
    return { db, proxy, gw };
  }

  it('answers WRITE_OUTCOME_UNKNOWN at the write timeout, though the events were stored, and a retry with the same ids writes nothing twice', async () => {
    const { db, proxy, gw } = await gatewayBehindProxy();
    proxy.dropRepliesAfter(DEFAULT_STORE_APPEND);
    const events = newEvents(2);

    const { response, tookMs } = await timedAppend(gw, 'silent', events);

    expect(errorCodes(response)).toEqual(['WRITE_OUTCOME_UNKNOWN']);
    expect(tookMs).toBeGreaterThanOrEqual(WRITE_TIMEOUT_MS - 50);
    expect(tookMs).toBeLessThan(WRITE_TIMEOUT_MS + ANSWER_SLACK_MS);
    expect(await storedIds(db.url, 'silent')).toEqual(events.map((event) => event.id));

    proxy.cutAll();
    const retried = await appendSuccess(gw, { streamId: 'silent', events });
    expect(retried.events.map((event) => [event.id, event.version])).toEqual(events.map((event, index) => [event.id, index]));
    expect(await storedIds(db.url, 'silent')).toEqual(events.map((event) => event.id));
  });

  it('answers WRITE_OUTCOME_UNKNOWN, never CLUSTER_UNAVAILABLE, when the connection dies after the commit was sent and the retry cannot connect', async () => {
    const { db, proxy, gw } = await gatewayBehindProxy();
    proxy.dropRepliesAfter(DEFAULT_STORE_APPEND);
    const events = newEvents(1);
    const answer = timedAppend(gw, 'cut-off', events);
    await pollUntil(async () => (await storedIds(db.url, 'cut-off')).length === 1, 'the append to commit behind the lost answer');

    proxy.refuse(POOL_CONNECTIONS);
    const { response, tookMs } = await answer;

    expect(errorCodes(response)).toEqual(['WRITE_OUTCOME_UNKNOWN']);
    expect(tookMs).toBeLessThan(WRITE_TIMEOUT_MS + ANSWER_SLACK_MS);
    expect(await storedIds(db.url, 'cut-off')).toEqual([events[0]!.id]);
  });
});

describe('a primary whose synchronous standby is gone', () => {
  let cluster: PgCluster;
  let gw: TestGateway;

  beforeAll(async () => {
    cluster = await startPgCluster();
    gw = await startTestGateway({
      databaseUrl: cluster.nodes,
      env: { GATER_WRITE_TIMEOUT_MS: String(WRITE_TIMEOUT_MS), GATER_PROBE_INTERVAL_MS: '200', GATER_PROBE_TIMEOUT_MS: '500' },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    await cluster?.destroy();
  });

  it('answers an append WRITE_OUTCOME_UNKNOWN within the write timeout; once the standby is back, a retry with the same ids writes nothing twice', async () => {
    const before = await appendSuccess(gw, { streamId: 'sync-1', events: newEvents(2) });
    await cluster.replica.stop();

    const events = newEvents(3);
    const { response, tookMs } = await timedAppend(gw, 'sync-1', events);
    expect(errorCodes(response)).toEqual(['WRITE_OUTCOME_UNKNOWN']);
    expect(response.errors?.[0]?.message).toMatch(/may or may not be stored/);
    expect(tookMs).toBeLessThan(WRITE_TIMEOUT_MS + ANSWER_SLACK_MS);
    // The next write does not hang either.
    const next = await timedAppend(gw, 'sync-2', newEvents(1));
    expect(errorCodes(next.response)).toEqual(['WRITE_OUTCOME_UNKNOWN']);
    expect(next.tookMs).toBeLessThan(WRITE_TIMEOUT_MS + ANSWER_SLACK_MS);

    await cluster.replica.start();
    await waitForSynchronousStandby(cluster.primary);
    const retried = await appendSuccess(gw, { streamId: 'sync-1', events });

    expect(retried.events.map((event) => event.version)).toEqual([2, 3, 4]);
    const all = [...before.events, ...events];
    expect((await readStream(gw, 'sync-1')).map((event) => [event.id, event.version])).toEqual(all.map((event, index) => [event.id, index]));
  });
});

async function storedIds(url: string, streamId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ event_id: string }>(
      `SELECT event_id FROM ${storeTables('default').events} WHERE stream_id = $1 ORDER BY position`,
      [streamId],
    );
    return rows.map((row) => row.event_id);
  } finally {
    await client.end();
  }
}
