import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, pollUntil, waitForCluster, type ClusterView } from '../support/cluster-queries.js';
import { isAlive, processTree } from '../support/process-tree.js';
import { APPEND, type AppendData } from '../support/queries.js';
import { appendSuccess, dataOf, newEvents, postGraphQL, readStream, type GraphQLResponse } from '../support/test-gateway.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const STREAM = 'walkthrough-1';

interface PrintedGateway {
  url: string;
  dashboard: string;
  graphiql: string;
  pid: number;
  gossipPort: number;
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

interface PrintedNode {
  name: string;
  port: number;
  pid: number;
}

const CLUSTER_NODES = /* GraphQL */ `
  query { cluster { status leader { id } nodes { id role health } gateways { id self } } }
`;

/**
 * `npm run cluster` as a user runs it, a real child process whose printed URLs
 * the test follows: the walkthrough of the README (kill the primary, writes
 * refused, promote the replica, writes accepted, nothing acknowledged lost),
 * then Ctrl-C, after which no process of it is left and its ports are free.
 */
describe('npm run cluster', () => {
  let folder: string;
  let child: ChildProcessWithoutNullStreams;
  let output = '';
  let exited: Promise<number | null>;
  let gateways: PrintedGateway[] = [];
  let nodes: PrintedNode[] = [];
  let everyPid: number[] = [];
  const acknowledged: string[] = [];

  beforeAll(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-local-cluster-'));
    await fs.chmod(folder, 0o755);
    child = spawn('npm', ['run', 'cluster'], {
      cwd: REPO,
      // A process group of its own, as a terminal gives a command: Ctrl-C goes to the whole group.
      detached: true,
      env: {
        ...process.env,
        PORT: '0',
        GATER_CLUSTER_DIR: path.join(folder, 'cluster'),
        GATER_PROBE_INTERVAL_MS: '200',
        GATER_PROBE_TIMEOUT_MS: '500',
        GATER_DOWN_AFTER_FAILURES: '2',
      },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code ?? -1));
    await pollUntil(async () => {
      if (exitCode !== undefined) throw new Error(`npm run cluster exited with ${exitCode}:\n${output}`);
      return output.includes('Keys (each followed by Enter)');
    }, 'npm run cluster to print its URLs', 120_000);
    gateways = [...output.matchAll(/gateway \d (http:\S+\/graphql) {2}pid (\d+) {2}gossip on UDP port (\d+)\n\s+GraphiQL: +(\S+).*\n\s+dashboard: (\S+)/g)].map(
      ([, url, pid, gossipPort, graphiql, dashboard]) => ({
        url: url!,
        pid: Number(pid),
        gossipPort: Number(gossipPort),
        graphiql: graphiql!,
        dashboard: dashboard!,
        gql: (query, variables) => postGraphQL(url!, query, variables),
      }),
    );
    nodes = [...output.matchAll(/(primary|replica) +PostgreSQL postgres:\/\/\S+:(\d+)\/\S+ {2}pid (\d+)/g)].map(([, name, port, pid]) => ({
      name: name!,
      port: Number(port),
      pid: Number(pid),
    }));
  }, 150_000);

  afterAll(async () => {
    // After a failure part-way, nothing may outlive the test: what the command did not stop is killed.
    let leftovers = everyPid;
    if (child && child.exitCode === null && child.signalCode === null) {
      leftovers = processTree(child.pid!);
      process.kill(-child.pid!, 'SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    }
    for (const pid of leftovers.filter(isAlive)) process.kill(pid, 'SIGKILL');
    if (folder) await fs.rm(folder, { recursive: true, force: true });
  }, 60_000);

  const node = (name: string) => nodes.find((candidate) => candidate.name === name)!;
  const nodeId = (name: string) => `127.0.0.1:${node(name).port}`;
  const clusterOf = async (gateway: PrintedGateway) => dataOf(await gateway.gql<{ cluster: ClusterView }>(CLUSTER_NODES)).cluster;
  const press = (key: string) => child.stdin.write(`${key}\n`);
  const appendOn = async (gateway: PrintedGateway) => {
    const result = await appendSuccess(gateway, { streamId: STREAM, events: newEvents(2) });
    acknowledged.push(...result.events.map((event) => event.id));
  };

  it('prints two gateways with their GraphiQL and dashboard URLs, and the primary and replica with their pids', async () => {
    expect(gateways).toHaveLength(2);
    expect(nodes.map((printed) => printed.name)).toEqual(['primary', 'replica']);
    for (const gateway of gateways) {
      const origin = new URL(gateway.url).origin;
      expect(gateway.dashboard).toBe(`${origin}/dashboard`);
      expect(gateway.graphiql).toBe(gateway.url);
      const page = await fetch(gateway.graphiql, { headers: { accept: 'text/html' } });
      expect((await page.text()).toLowerCase()).toContain('graphiql');
    }
    for (const pid of [...gateways, ...nodes].map((printed) => printed.pid)) expect(isAlive(pid)).toBe(true);
  });

  it('has each gateway see the primary leading, the replica streaming, and the other gateway through gossip', async () => {
    for (const gateway of gateways) {
      const view = await waitForCluster(gateway, (cluster) => cluster.gateways.length === 2, 'both gateways to know each other', 20_000);
      expect(view.status).toBe('HEALTHY');
      expect(view.leader?.id).toBe(nodeId('primary'));
      const roles = Object.fromEntries(view.nodes.map((printed) => [printed.id, [printed.role, printed.health]]));
      expect(roles).toEqual({ [nodeId('primary')]: ['LEADER', 'HEALTHY'], [nodeId('replica')]: ['REPLICA', 'HEALTHY'] });
    }
    for (const gateway of gateways) await appendOn(gateway);
  });

  it('with the primary killed (key k): the cluster leaves HEALTHY, and appends on either gateway are refused with CLUSTER_UNAVAILABLE', async () => {
    press('k');
    await pollUntil(async () => !isAlive(node('primary').pid), 'the primary to die');
    for (const gateway of gateways) {
      const view = await waitForCluster(gateway, (cluster) => cluster.status === 'UNAVAILABLE', 'the cluster to have no leader');
      expect(view.nodes.find((printed) => printed.id === nodeId('primary'))?.health).toBe('DOWN');
      const refused = await gateway.gql<AppendData>(APPEND, { input: { streamId: STREAM, events: newEvents(1) } });
      expect(errorCodes(refused)).toEqual(['CLUSTER_UNAVAILABLE']);
    }
    // Reads go on, served by the replica, and nothing refused was written.
    expect((await readStream(gateways[0]!, STREAM)).map((event) => event.id)).toEqual(acknowledged);
  });

  it('with the replica promoted (key p): it leads, appends are accepted on both gateways, and every acknowledged event is readable', async () => {
    press('p');
    for (const gateway of gateways) {
      await waitForCluster(gateway, (cluster) => cluster.leader?.id === nodeId('replica'), 'the promoted replica to lead');
    }
    for (const gateway of gateways) await appendOn(gateway);
    expect(acknowledged).toHaveLength(8);
    for (const gateway of gateways) {
      expect((await readStream(gateway, STREAM)).map((event) => event.id)).toEqual(acknowledged);
    }
  });

  it('on Ctrl-C stops the gateways, then the nodes: no process of it left, and its ports free again', async () => {
    everyPid = processTree(child.pid!);
    // Every gateway and node process, and the postgres backends under them.
    expect(everyPid).toEqual(expect.arrayContaining(gateways.map((gateway) => gateway.pid)));
    expect(everyPid.length).toBeGreaterThan(10);
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    await pollUntil(async () => everyPid.every((pid) => !isAlive(pid)), () => `every process to end; left: ${everyPid.filter(isAlive).join(', ')}`, 30_000);

    const stoppedAt = (line: string) => output.indexOf(line);
    expect(stoppedAt('[cluster] stopped')).toBeGreaterThan(stoppedAt('[gateway 1] [gater] stopped'));
    expect(stoppedAt('[cluster] stopped')).toBeGreaterThan(stoppedAt('[gateway 2] [gater] stopped'));

    for (const port of [...gateways.map((gateway) => Number(new URL(gateway.url).port)), node('replica').port, node('primary').port]) {
      await expect(canListen(port), `TCP port ${port}`).resolves.toBe(true);
    }
    for (const gateway of gateways) await expect(canBindUdp(gateway.gossipPort), `UDP port ${gateway.gossipPort}`).resolves.toBe(true);
  }, 60_000);
});

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function canBindUdp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}
