import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { cloneNodeData, startEmbeddedNode, type EmbeddedNode, type EmbeddedNodeOptions } from './embedded-node.js';

/** The replica's `application_name`, which `synchronous_standby_names` on the primary names. */
export const STANDBY_NAME = 'replica';

export interface EmbeddedClusterOptions {
  /** Folder of the two nodes: `${dataDir}/primary` and `${dataDir}/replica`, which must be absent or empty. */
  dataDir: string;
  /** false turns off fsync and the like, for throwaway test clusters. Default true. */
  durable?: boolean;
  /**
   * What a commit on the primary waits for. `remote_apply` (default): the standby applied it, so
   * an acknowledged event is visible on both nodes. `on`: the standby flushed it, so it survives
   * a failover but may not be visible there yet (and replay can be paused without stopping writes).
   */
  synchronousCommit?: 'remote_apply' | 'on';
  /** Receives the servers' log lines, each prefixed with its node's name. Default: drop them. */
  log?: (line: string) => void;
}

/** One PostgreSQL server of a cluster, which may be killed, restarted and promoted. */
export interface EmbeddedClusterNode {
  /** `primary` or `replica`: how it was started, whatever it has become since. */
  readonly name: string;
  readonly port: number;
  /** postgres://… of the `gater` database, as the gateway's role. */
  readonly url: string;
  /** Superuser URL of the maintenance database. */
  readonly adminUrl: string;
  /** True between a start and a stop or kill. */
  readonly running: boolean;
  /** The postmaster's process id while it runs. */
  pid(): Promise<number | undefined>;
  /** Immediate shutdown, as a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Starts it again on its own data and port, configured as it was first started (a promoted node as a primary). */
  start(): Promise<void>;
  /** Makes a standby a primary and waits until it is one. */
  promote(): Promise<void>;
  /** Runs `sql` on the `gater` database as the superuser. */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
}

export interface EmbeddedCluster {
  primary: EmbeddedClusterNode;
  replica: EmbeddedClusterNode;
  /** GATER_NODES: the primary's URL, then the replica's. */
  nodes: string;
  /** Stops the replica, then the primary; their data is kept. */
  stop(): Promise<void>;
  /** Kills both at once (no checkpoint); for tearing down after a failure. */
  kill(): Promise<void>;
}

/**
 * A primary and a synchronous streaming replica, built from the embedded
 * binaries: initialise the primary, stop it, copy its data folder cold into
 * the replica's, then start the primary with synchronous replication and the
 * copy as its hot standby. A cold copy needs no replication connection and no
 * pg_basebackup, which the embedded package does not ship.
 */
export async function startEmbeddedCluster({ dataDir, durable = true, synchronousCommit = 'remote_apply', log = () => {} }: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
  const primaryDir = path.join(dataDir, 'primary');
  const replicaDir = path.join(dataDir, 'replica');
  const nodes: ClusterNode[] = [];
  const kill = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
  };
  try {
    await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
    const seed = await startEmbeddedNode({ dataDir: primaryDir, durable, log: prefixed('primary', log) });
    const port = seed.port;
    await seed.stop();
    await cloneNodeData(primaryDir, replicaDir, prefixed('replica', log));

    const primary = new ClusterNode('primary', {
      dataDir: primaryDir,
      port,
      durable,
      log: prefixed('primary', log),
      settings: { synchronous_standby_names: STANDBY_NAME, synchronous_commit: synchronousCommit },
    });
    nodes.push(primary);
    await primary.start();
    const replica = new ClusterNode('replica', {
      dataDir: replicaDir,
      durable,
      log: prefixed('replica', log),
      standby: { primaryUrl: primary.adminUrl, name: STANDBY_NAME },
    });
    nodes.push(replica);
    await replica.start();
    await waitForSynchronousStandby(primary);
    const stop = async () => {
      await replica.stop();
      await primary.stop();
    };
    return { primary, replica, nodes: `${primary.url},${replica.url}`, stop, kill };
  } catch (error) {
    await kill();
    throw error;
  }
}

class ClusterNode implements EmbeddedClusterNode {
  private node: EmbeddedNode | undefined;
  /** Where the node was last started; kept while it is down, so it keeps its place in GATER_NODES. */
  private last: { port: number; url: string; adminUrl: string; pgdata: string } | undefined;

  constructor(
    readonly name: string,
    private options: EmbeddedNodeOptions,
  ) {}

  get port(): number {
    return this.started().port;
  }

  get url(): string {
    return this.started().url;
  }

  get adminUrl(): string {
    return this.started().adminUrl;
  }

  get running(): boolean {
    return this.node !== undefined;
  }

  async pid(): Promise<number | undefined> {
    if (!this.node) return undefined;
    const lockFile = await fs.readFile(path.join(this.node.pgdata, 'postmaster.pid'), 'utf8').catch(() => '');
    const pid = Number(lockFile.split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  async start(): Promise<void> {
    if (this.node) return;
    this.node = await startEmbeddedNode({ ...this.options, port: this.last?.port ?? this.options.port });
    this.last = { port: this.node.port, url: this.node.url, adminUrl: this.node.adminUrl, pgdata: this.node.pgdata };
  }

  async stop(): Promise<void> {
    const node = this.node;
    this.node = undefined;
    await node?.stop();
  }

  async kill(): Promise<void> {
    const node = this.node;
    this.node = undefined;
    await node?.kill();
  }

  async promote(): Promise<void> {
    await this.query('SELECT pg_promote(true, 30)');
    // Promotion removed standby.signal; a restart must not write it back.
    this.options = { ...this.options, standby: undefined };
  }

  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    // As the superuser: pg_promote, pg_wal_replay_pause and the standby's state in pg_stat_replication are its alone.
    const url = new URL(this.adminUrl);
    url.pathname = new URL(this.url).pathname;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  private started(): { port: number; url: string; adminUrl: string } {
    if (!this.last) throw new Error(`node ${this.name} was never started`);
    return this.last;
  }
}

/** Waits until the primary names a streaming synchronous standby, so that commits are confirmed again. */
export async function waitForSynchronousStandby(primary: Pick<EmbeddedClusterNode, 'query'>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await primary.query<{ sync_state: string }>(
      `SELECT sync_state FROM pg_stat_replication WHERE application_name = '${STANDBY_NAME}' AND state = 'streaming'`,
    );
    if (rows[0]?.sync_state === 'sync') return;
    if (Date.now() > deadline) throw new Error(`the replica did not become a streaming synchronous standby within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

function prefixed(name: string, log: (line: string) => void): (line: string) => void {
  return (line) => log(`${name}: ${line}`);
}
