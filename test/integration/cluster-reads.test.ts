import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_NODES, pollUntil, postWithHeaders, type NodeView } from '../support/cluster-queries.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { STREAM_PAGE, type StreamPageData } from '../support/queries.js';
import { appendSuccess, dataOf, newEvents, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const READS = 40;
const STREAM = 'reads';

/**
 * With the replica's replay paused, the replica still has the older event and
 * not the newest, while the primary has both: which node served a read shows
 * in what it answers.
 */
describe('reads over a primary and a replica whose replay is paused', () => {
  let cluster: PgCluster;
  /** Lets lagging replicas serve reads (GATER_MAX_REPLICA_LAG_MS of 10 minutes). */
  let tolerant: TestGateway;
  /** Skips replicas lagging more than 300 ms. */
  let strict: TestGateway;

  beforeAll(async () => {
    // Commits wait for the replica to flush, not to apply, so pausing its replay does not stop writes.
    cluster = await startPgCluster({ synchronousCommit: 'on' });
    const env = { GATER_PROBE_INTERVAL_MS: '200' };
    tolerant = await startTestGateway({ databaseUrl: cluster.nodes, env: { ...env, GATER_MAX_REPLICA_LAG_MS: '600000' } });
    strict = await startTestGateway({ databaseUrl: cluster.nodes, env: { ...env, GATER_MAX_REPLICA_LAG_MS: '300' } });

    await appendSuccess(tolerant, { streamId: STREAM, events: newEvents(1) });
    await waitUntilReplicaHas(cluster, 1);
    await cluster.replica.query('SELECT pg_wal_replay_pause()');
    await appendSuccess(tolerant, { streamId: STREAM, events: newEvents(1) });
  });

  afterAll(async () => {
    await tolerant?.stop();
    await strict?.stop();
    await cluster?.destroy();
  });

  it('go to both nodes at random: some answers miss the newest event, some have it', async () => {
    const counts = await streamLengths(tolerant, {});
    expect(counts).toContain(1);
    expect(counts).toContain(2);
  });

  it('go to the leader alone with x-gater-consistency: leader, and so see every acknowledged write', async () => {
    const counts = await streamLengths(tolerant, { 'x-gater-consistency': 'leader' });
    expect(new Set(counts)).toEqual(new Set([2]));
  });

  it('skip a replica lagging more than GATER_MAX_REPLICA_LAG_MS, whose lag clusterNodes shows', async () => {
    const replicaId = `127.0.0.1:${cluster.replica.port}`;
    let replica: NodeView | undefined;
    await pollUntil(async () => {
      const nodes = dataOf(await strict.gql<{ clusterNodes: NodeView[] }>(CLUSTER_NODES)).clusterNodes;
      replica = nodes.find((node) => node.id === replicaId);
      return (replica?.replicationLagMs ?? 0) > 300;
    }, 'the replica to show more than 300 ms of lag');
    expect(replica).toMatchObject({ role: 'REPLICA', health: 'HEALTHY' });

    const counts = await streamLengths(strict, {});
    expect(new Set(counts)).toEqual(new Set([2]));
  });
});

/** How many events of the stream each of READS reads answered. */
async function streamLengths(gw: TestGateway, headers: Record<string, string>): Promise<number[]> {
  const counts: number[] = [];
  for (let read = 0; read < READS; read++) {
    const page = dataOf(await postWithHeaders<StreamPageData>(gw.url, headers, STREAM_PAGE, { id: STREAM }));
    counts.push(page.stream.events.edges.length);
  }
  return counts;
}

async function waitUntilReplicaHas(cluster: PgCluster, count: number): Promise<void> {
  await pollUntil(async () => {
    const rows = await cluster.replica.query<{ count: string }>(`SELECT count(*) FROM gater_default.events WHERE stream_id = '${STREAM}'`);
    return Number(rows[0]!.count) >= count;
  }, `the replica to replay ${count} events`);
}
