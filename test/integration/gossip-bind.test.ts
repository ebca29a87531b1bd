import { randomInt } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { GatewayDirectory } from '../../src/cluster/gateway-directory.js';
import { gossipBindAddress } from '../../src/cluster/gossip/bind-address.js';
import type { Gossip } from '../../src/cluster/gossip/gossip.js';
import { startClusterGossip } from '../../src/cluster/gossip/start-cluster-gossip.js';
import { pollUntil } from '../support/cluster-queries.js';
import { freeUdpPort } from '../support/free-udp-port.js';

const started: Gossip[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((gossip) => gossip.stop()));
});

/** A gateway's gossip as `npm start` configures it from this environment. */
async function gossipOf(id: string, env: Record<string, string>) {
  const directory = new GatewayDirectory({ id, startedAt: new Date(), nodes: () => [] });
  directory.address = `http://127.0.0.1:1/${id}`;
  const config = loadConfig({ EX_ESDB_CLUSTER_SECRET: 'gossip-bind-test-secret', GATER_ANONYMOUS_ROLE: 'reader', ...env });
  const gossip = await startClusterGossip(config, directory, () => {});
  if (!gossip) throw new Error('gossip did not start');
  started.push(gossip);
  return { gossip, directory };
}

describe('the gossip socket follows HOST', () => {
  it('listens on HOST, not on every interface, when gossiping to seeds', async () => {
    const port = await freeUdpPort();
    const { gossip } = await gossipOf('a', { HOST: 'localhost', EX_ESDB_CLUSTER_PORT: String(port), GATER_GOSSIP_SEEDS: '127.0.0.1:9' });
    expect(gossip.address()).toEqual(expect.objectContaining({ address: '127.0.0.1', port }));
  });

  it('listens on every interface when HOST is 0.0.0.0 or ::', async () => {
    for (const host of ['0.0.0.0', '::']) {
      const port = await freeUdpPort();
      const { gossip } = await gossipOf(`all-${host}`, { HOST: host, EX_ESDB_CLUSTER_PORT: String(port), GATER_GOSSIP_SEEDS: '127.0.0.1:9' });
      expect(gossip.address().address).toBe('0.0.0.0');
    }
  });

  it('with multicast on HOST=127.0.0.1, takes only the group on that interface, and two gateways on one port find each other', async () => {
    const port = await freeUdpPort();
    // A group of its own, so that gossip of other test runs on this machine stays apart.
    const group = `239.255.${randomInt(1, 255)}.${randomInt(1, 255)}`;
    const env = { HOST: '127.0.0.1', EX_ESDB_CLUSTER_PORT: String(port), EX_ESDB_GOSSIP_MULTICAST_ADDR: group };
    const first = await gossipOf('first', env);
    const second = await gossipOf('second', env);
    expect(first.gossip.address().address).toBe(group);
    await pollUntil(async () => first.directory.knows('second') && second.directory.knows('first'), 'both gateways to hear each other', 10_000);
  });
});

describe('gossipBindAddress', () => {
  it('keeps an IPv4 address, resolves a name to IPv4, and maps the IPv6 loopback to 127.0.0.1', async () => {
    expect(await gossipBindAddress('10.1.2.3')).toBe('10.1.2.3');
    expect(await gossipBindAddress('localhost')).toBe('127.0.0.1');
    expect(await gossipBindAddress('::1')).toBe('127.0.0.1');
  });

  it('refuses another IPv6 address at start-up, naming HOST', async () => {
    const port = await freeUdpPort();
    const failure = await gossipOf('v6', { HOST: 'fd00::1234', EX_ESDB_CLUSTER_PORT: String(port) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(/^HOST: /);
  });
});
