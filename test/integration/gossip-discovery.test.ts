import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterOf, waitForCluster } from '../support/cluster-queries.js';
import { freeUdpPort } from '../support/free-udp-port.js';
import { scrapeMetrics } from '../support/metrics.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const SECRET = 'gossip-test-secret';

/** Two gateways on one database, each naming the other's gossip port as its seed, on 127.0.0.1 only. */
describe('gateways gossiping to each other over UDP', () => {
  let first: TestGateway;
  let second: TestGateway;

  beforeAll(async () => {
    const [firstPort, secondPort] = [await freeUdpPort(), await freeUdpPort()];
    const gossip = (own: number, seed: number) => ({
      EX_ESDB_CLUSTER_SECRET: SECRET,
      EX_ESDB_CLUSTER_PORT: String(own),
      GATER_GOSSIP_SEEDS: `127.0.0.1:${seed}`,
    });
    first = await startTestGateway({ env: gossip(firstPort, secondPort) });
    second = await startTestGateway({ databaseUrl: first.databaseUrl, env: gossip(secondPort, firstPort) });
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('find each other: each lists both in the cluster query, itself first with self: true', async () => {
    for (const [gw, other] of [
      [first, second],
      [second, first],
    ] as const) {
      const view = await waitForCluster(gw, (cluster) => cluster.gateways.length === 2, 'both gateways listed');
      const [self, peer] = view.gateways;
      expect(self).toMatchObject({ id: gw.gateway.cluster.gateways.id, address: gw.url, self: true });
      expect(peer).toMatchObject({ id: other.gateway.cluster.gateways.id, address: other.url, self: false });
      expect(Date.parse(peer!.startedAt)).toBeLessThanOrEqual(Date.parse(peer!.lastSeen));
      expect(peer!.nodes.map((node) => node.role)).toEqual(['LEADER']);
    }
  });

  it('count in /metrics the packets they sent and took, and none dropped', async () => {
    for (const gw of [first, second]) {
      const { samples } = await scrapeMetrics(gw.origin);
      expect(samples.get('gater_gossip_packets_sent_total')).toBeGreaterThan(0);
      expect(samples.get('gater_gossip_packets_accepted_total')).toBeGreaterThan(0);
      for (const reason of ['malformed', 'forged', 'stale', 'replayed']) {
        expect(samples.get(`gater_gossip_packets_dropped_total{reason="${reason}"}`)).toBe(0);
      }
    }
  });

  it('forget a gateway that stopped: its last announcement says it is leaving', async () => {
    const directory = first.gateway.cluster.gateways;
    const forgotten = new Promise<number>((resolve) => directory.onChange(() => directory.list().length === 1 && resolve(Date.now())));
    const lastHeard = () => directory.list().find((gateway) => !gateway.self)!.lastSeen.getTime();
    const heardBeforeStop = lastHeard();
    await second.stop();
    // Falling silent would have taken the peer timeout (5 s) from its last announcement, which came after the stop began at the latest.
    expect((await forgotten) - heardBeforeStop).toBeLessThan(5_000);
    const view = await waitForCluster(first, (cluster) => cluster.gateways.length === 1, 'the stopped gateway to be forgotten');
    expect(view.gateways[0]).toMatchObject({ self: true, address: first.url });
  });
});

describe('a gateway without a cluster secret', () => {
  it('keeps gossip off, says why in its log, and lists only itself', async () => {
    const lines: string[] = [];
    const gw = await startTestGateway({ log: { info: (line) => lines.push(line), error: (line) => lines.push(line) } });
    try {
      expect(gw.gateway.gossip).toBeUndefined();
      expect(lines.filter((line) => line.includes('gossip is off'))).toEqual([expect.stringContaining('EX_ESDB_CLUSTER_SECRET')]);
      expect((await clusterOf(gw)).gateways).toEqual([expect.objectContaining({ self: true, address: gw.url })]);
    } finally {
      await gw.stop();
    }
  });
});
