import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { CLUSTER_STATUS, clusterOf, errorCodes, waitForCluster, type ClusterStatus, type ClusterView } from '../support/cluster-queries.js';
import { APPEND, BY_STREAM, type AppendData, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents, readStream, startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { connectWs, type Collected, type WsConnection } from '../support/ws-client.js';

const ENV = {
  GATER_PROBE_INTERVAL_MS: '200',
  GATER_PROBE_TIMEOUT_MS: '500',
  GATER_DOWN_AFTER_FAILURES: '2',
};
const STREAM = 'order-1';

/**
 * One failover, step by step, on a primary and its synchronous replica: the
 * primary dies, the replica is promoted, the old primary comes back (split
 * brain) and goes away again. Each step builds on the one before.
 */
describe('a gateway over a primary and a synchronous replica, through a failover', () => {
  let cluster: PgCluster;
  let gw: TestGateway;
  let ws: WsConnection;
  let live: Collected<EventView>;
  let statuses: Collected<ClusterView>;
  const acknowledged: string[] = [];

  beforeAll(async () => {
    cluster = await startPgCluster();
    gw = await startTestGateway({ databaseUrl: cluster.nodes, env: ENV });
    ws = await connectWs(gw);
  });

  afterAll(async () => {
    await ws?.dispose();
    await gw?.stop();
    await cluster?.destroy();
  });

  const appendOne = async () => {
    const result = await appendSuccess(gw, { streamId: STREAM, events: newEvents(1) });
    acknowledged.push(...result.events.map((event) => event.id));
  };

  it('finds the primary as LEADER and the replica as REPLICA, and calls the cluster HEALTHY', async () => {
    const view = await clusterOf(gw);
    expect(view.status).toBe('HEALTHY');
    const byId = new Map(view.nodes.map((node) => [node.id, node]));
    expect(byId.get(`127.0.0.1:${cluster.primary.port}`)).toMatchObject({ role: 'LEADER', health: 'HEALTHY', replicationLagMs: null });
    expect(byId.get(`127.0.0.1:${cluster.replica.port}`)).toMatchObject({ role: 'REPLICA', health: 'HEALTHY' });
    expect(view.leader?.id).toBe(`127.0.0.1:${cluster.primary.port}`);
    expect((await fetch(`${gw.origin}/ready`)).status).toBe(200);
  });

  it('serves appends and a live subscriber before the failure', async () => {
    statuses = ws.subscribe<ClusterView>(CLUSTER_STATUS);
    await statuses.waitForEvents(1);
    live = await ws.subscribeActive<EventView>(BY_STREAM, { streamId: STREAM });
    for (let i = 0; i < 5; i++) await appendOne();
    await live.waitForEvents(5);
  });

  it('with the leader killed: no longer HEALTHY, reads still served, /ready 503, and an append refused with CLUSTER_UNAVAILABLE writes nothing', async () => {
    await cluster.primary.kill();
    await waitForCluster(gw, (view) => view.status !== 'HEALTHY', 'the cluster to stop being HEALTHY');

    expect((await readStream(gw, STREAM)).map((event) => event.id)).toEqual(acknowledged);
    expect((await fetch(`${gw.origin}/ready`)).status).toBe(503);

    const refused = await gw.gql<AppendData>(APPEND, { input: { streamId: STREAM, events: newEvents(1) } });
    expect(errorCodes(refused)).toEqual(['CLUSTER_UNAVAILABLE']);
    expect(refused.data?.appendEvents ?? null).toBeNull();
    expect((await readStream(gw, STREAM)).map((event) => event.id)).toEqual(acknowledged);
  });

  it('with the replica promoted: appends accepted again within seconds, every acknowledged event kept, the live subscriber going on without a gap', async () => {
    await cluster.replica.promote();
    await waitForCluster(gw, (view) => view.leader?.id === `127.0.0.1:${cluster.replica.port}`, 'the promoted replica to lead', 5_000);
    for (let i = 0; i < 5; i++) await appendOne();

    const stored = await readStream(gw, STREAM);
    expect(stored.map((event) => event.id)).toEqual(acknowledged);
    expect(stored.map((event) => event.version)).toEqual(acknowledged.map((_, index) => index));
    const delivered = await live.waitForEvents(acknowledged.length);
    expect(delivered.map((event) => event.id)).toEqual(acknowledged);
    expect(delivered.map((event) => event.position)).toEqual(delivered.map((_, index) => delivered[0]!.position + index));
    expect((await clusterOf(gw)).status).toBe('DEGRADED');
  });

  it('with the old primary started again: SPLIT_BRAIN, /ready 503, and appends refused with CLUSTER_UNAVAILABLE', async () => {
    await cluster.primary.start();
    await waitForCluster(gw, (view) => view.status === 'SPLIT_BRAIN', 'SPLIT_BRAIN');

    const refused = await gw.gql<AppendData>(APPEND, { input: { streamId: STREAM, events: newEvents(1) } });
    expect(errorCodes(refused)).toEqual(['CLUSTER_UNAVAILABLE']);
    expect(refused.errors?.[0]?.message).toMatch(/split brain/);
    expect((await fetch(`${gw.origin}/ready`)).status).toBe(503);
    expect((await clusterOf(gw)).leader).toBeNull();
  });

  it('with the old primary stopped again: HEALTHY or DEGRADED, appends accepted, nothing lost or doubled', async () => {
    await cluster.primary.stop();
    const view = await waitForCluster(gw, (current) => current.leader !== null, 'one leader again');
    expect(['HEALTHY', 'DEGRADED']).toContain(view.status);

    await appendOne();
    expect((await readStream(gw, STREAM)).map((event) => event.id)).toEqual(acknowledged);
    expect((await live.waitForEvents(acknowledged.length)).map((event) => event.id)).toEqual(acknowledged);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
  });

  it('told a clusterStatus subscriber of every status it went through, in order', async () => {
    const seen = collapse(statuses.events.map((view) => view.status));
    expect(seen[0]).toBe('HEALTHY');
    expect(seen).toContain('SPLIT_BRAIN');
    const afterKill = seen.slice(1, seen.indexOf('SPLIT_BRAIN'));
    expect(afterKill.length).toBeGreaterThan(0);
    expect(afterKill.every((status) => status === 'DEGRADED' || status === 'UNAVAILABLE')).toBe(true);
    expect(afterKill).toContain('UNAVAILABLE');
    expect(seen[seen.length - 1]).toBe('DEGRADED');
  });

});

/** Consecutive repeats collapsed: [A, A, B, A] → [A, B, A]. */
function collapse(statuses: ClusterStatus[]): ClusterStatus[] {
  return statuses.filter((status, index) => index === 0 || statuses[index - 1] !== status);
}
