/**
 * `npm run cluster`: a PostgreSQL primary with a synchronous streaming replica
 * (the embedded binaries), and two gateways over them that gossip with a
 * generated secret. Keys on stdin kill the primary, promote the replica and
 * restart a stopped node, for trying a failover; Ctrl-C stops everything,
 * gateways first.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { startEmbeddedCluster, type EmbeddedCluster, type EmbeddedClusterNode } from '../src/cluster/embedded-cluster.js';
import { maskUrl } from '../src/masked-url.js';
import { freshClusterFolder } from './cluster/fresh-folder.js';
import { freeTcpPort, freeUdpPort } from './cluster/free-ports.js';
import { startGatewayProcess, type GatewayProcess } from './cluster/gateway-process.js';

const HOST = '127.0.0.1';
const folder = path.resolve(process.env.GATER_CLUSTER_DIR ?? 'data/cluster');
const say = (line: string): void => void process.stdout.write(`[cluster] ${line}\n`);

let cluster: EmbeddedCluster | undefined;
const gateways: GatewayProcess[] = [];
let stopping: Promise<void> | undefined;

function shutdown(reason: string, code = 0): Promise<void> {
  stopping ??= (async () => {
    say(`${reason}: stopping the gateways, then the replica, then the primary`);
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await cluster?.stop();
    say('stopped');
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// A closed terminal: the nodes run in process groups of their own, which its hang-up does not reach.
process.on('SIGHUP', () => void shutdown('SIGHUP'));

async function main(): Promise<void> {
  const httpPorts = await ports('PORT', 4000, () => freeTcpPort(HOST));
  const gossipPorts = await ports('EX_ESDB_CLUSTER_PORT', undefined, () => freeUdpPort(HOST));
  const secret = process.env.EX_ESDB_CLUSTER_SECRET ?? randomBytes(32).toString('hex');

  say(`a fresh cluster in ${folder} (the last run's data there is deleted)`);
  await freshClusterFolder(folder, ['primary', 'replica'], say);
  cluster = await startEmbeddedCluster({
    dataDir: folder,
    log: (line) => {
      if (line.includes('embedded node:')) say(line);
    },
  });
  if (stopping) return;
  say(`PostgreSQL primary on port ${cluster.primary.port}, synchronous replica on port ${cluster.replica.port}`);

  const started = await Promise.allSettled(
    [0, 1].map(async (index) => {
      const gateway = await startGatewayProcess(`gateway ${index + 1}`, `http://${HOST}:${httpPorts[index]}`, {
        HOST,
        PORT: String(httpPorts[index]),
        GATER_NODES: cluster!.nodes,
        EX_ESDB_CLUSTER_SECRET: secret,
        EX_ESDB_CLUSTER_PORT: String(gossipPorts[index]),
        // Two gateways on one machine: each names the other's gossip port (multicast may not loop back).
        GATER_GOSSIP_SEEDS: `${HOST}:${gossipPorts[1 - index]}`,
      });
      gateways.push(gateway);
      void gateway.exited.then(() => {
        if (!stopping) say(`${gateway.name} (pid ${gateway.pid}) exited`);
      });
    }),
  );
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  if (stopping) return;
  gateways.sort((a, b) => a.name.localeCompare(b.name));
  await printSummary(cluster, gossipPorts);
  listenForKeys(cluster);
}

/** `name` as the first port and the next one up for the second; 0 (or unset without a default) picks two free ones. */
async function ports(name: string, fallback: number | undefined, pick: () => Promise<number>): Promise<[number, number]> {
  const raw = process.env[name]?.trim();
  const first = raw ? Number(raw) : fallback;
  if (first !== undefined && (!Number.isInteger(first) || first < 0 || first > 65534)) {
    throw new Error(`${name}: expected a port between 0 and 65534, got "${raw}"`);
  }
  if (first) return [first, first + 1];
  for (;;) {
    const [a, b] = [await pick(), await pick()];
    if (a !== b) return [a, b];
  }
}

async function printSummary(cluster: EmbeddedCluster, gossipPorts: number[]): Promise<void> {
  const lines = ['', 'The cluster is up.'];
  for (const node of [cluster.primary, cluster.replica]) {
    lines.push(`  ${node.name.padEnd(9)} PostgreSQL ${maskUrl(node.url)}  pid ${await node.pid()}`);
  }
  for (const [index, gateway] of gateways.entries()) {
    lines.push(
      `  ${gateway.name} ${gateway.origin}/graphql  pid ${gateway.pid}  gossip on UDP port ${gossipPorts[index]}`,
      `            GraphiQL:  ${gateway.origin}/graphql (open it in a browser)`,
      `            dashboard: ${gateway.origin}/dashboard`,
    );
  }
  lines.push(`  data: ${folder} (passwords in its primary/credentials file)`, '', HELP, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

const HELP = [
  'Keys (each followed by Enter):',
  '  k  kill the primary (an immediate shutdown, as a crash)',
  '  p  promote the replica to primary',
  '  r  restart every node that is not running (a killed primary comes back as a primary)',
  '  s  show the cluster as gateway 1 sees it',
  '  q  stop everything (as Ctrl-C does)',
].join('\n');

function listenForKeys(cluster: EmbeddedCluster): void {
  const keys = readline.createInterface({ input: process.stdin });
  keys.on('line', (line) => {
    const key = line.trim().toLowerCase();
    if (!key) return;
    void onKey(key, cluster).catch((error: unknown) => say(`failed: ${(error as Error).message}`));
  });
}

async function onKey(key: string, cluster: EmbeddedCluster): Promise<void> {
  const { primary, replica } = cluster;
  switch (key) {
    case 'k':
      if (!primary.running) return say('the primary is not running');
      say(`killing the primary (pid ${await primary.pid()}, port ${primary.port})`);
      await primary.kill();
      return say('primary killed: writes now fail with CLUSTER_UNAVAILABLE; press p to promote the replica');
    case 'p':
      if (!replica.running) return say('the replica is not running');
      await replica.promote();
      return say(
        primary.running
          ? 'replica promoted while the primary runs: two leaders, SPLIT_BRAIN, writes refused until one stops'
          : `replica promoted: it leads now (port ${replica.port}), and writes go to it`,
      );
    case 'r':
      for (const node of [primary, replica].filter((candidate) => !candidate.running)) await restart(node);
      return say('every node runs');
    case 's':
      return say(await clusterView());
    case 'q':
      return shutdown('q');
    default:
      return say(`no key "${key}"\n${HELP}`);
  }
}

async function restart(node: EmbeddedClusterNode): Promise<void> {
  say(`starting the ${node.name} again on port ${node.port}`);
  await node.start();
  say(`${node.name} runs (pid ${await node.pid()})`);
}

async function clusterView(): Promise<string> {
  const gateway = gateways[0];
  if (!gateway) return 'no gateway';
  const response = await fetch(`${gateway.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ cluster { status nodes { address role health } gateways { address } } }' }),
  });
  const { data } = (await response.json()) as {
    data?: { cluster: { status: string; nodes: { address: string; role: string; health: string }[]; gateways: { address: string }[] } };
  };
  if (!data) return `${gateway.name} answered HTTP ${response.status}`;
  const nodes = data.cluster.nodes.map((node) => `${node.address} ${node.role} ${node.health}`).join(', ');
  return `${data.cluster.status}: ${nodes}; ${data.cluster.gateways.length} gateway(s) known`;
}

main().catch(async (error: unknown) => {
  process.stderr.write(`[cluster] ${(error as Error).message}\n`);
  await shutdown('start-up failed', 1);
});
