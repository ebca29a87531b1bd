import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { cloneNodeData, startEmbeddedNode, type EmbeddedNode, type EmbeddedNodeOptions } from '../../src/cluster/embedded-node.js';

const STANDBY_NAME = 'replica';

export interface PgClusterOptions {
  /**
   * What a commit on the primary waits for. `remote_apply` (default): the standby applied it, so
   * an acknowledged event is visible on both nodes. `on`: the standby flushed it, so it survives
   * a failover but may not be visible there yet (and replay can be paused without stopping writes).
   */
  synchronousCommit?: 'remote_apply' | 'on';
}

/** One PostgreSQL server of a test cluster, which a test may kill, restart and promote. */
export interface PgClusterNode {
  readonly name: string;
  readonly port: number;
  /** postgres://… of the `gater` database. */
  readonly url: string;
  /** Immediate shutdown, as a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  /** Starts it again on its own data and port, configured as it was first started. */
  start(): Promise<void>;
  /** Makes a standby a primary and waits until it is one. */
  promote(): Promise<void>;
  /** Runs `sql` on the `gater` database as the superuser. */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
}

export interface PgCluster {
  primary: PgClusterNode;
  replica: PgClusterNode;
  /** GATER_NODES: the primary's URL, then the replica's. */
  nodes: string;
  /** Stops every server it started and deletes their data; safe to call after a failure part-way. */
  destroy(): Promise<void>;
}

/**
 * A primary and a synchronous streaming replica, built from the embedded
 * binaries: initialise the primary, stop it, copy its data folder cold into
 * the replica's, then start the primary with synchronous replication and the
 * copy as its hot standby.
 */
export async function startPgCluster({ synchronousCommit = 'remote_apply' }: PgClusterOptions = {}): Promise<PgCluster> {
  const folders: string[] = [];
  const nodes: ManagedNode[] = [];
  const destroy = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    await Promise.all(folders.map((folder) => fs.rm(folder, { recursive: true, force: true })));
  };
  try {
    const primaryDir = await reachableTempFolder('primary', folders);
    const replicaDir = await reachableTempFolder('replica', folders);
    const seed = await startEmbeddedNode({ dataDir: primaryDir, durable: false });
    const port = seed.port;
    await seed.stop();
    await cloneNodeData(primaryDir, replicaDir);

    const primary = new ManagedNode('primary', {
      dataDir: primaryDir,
      port,
      durable: false,
      settings: { synchronous_standby_names: STANDBY_NAME, synchronous_commit: synchronousCommit },
    });
    nodes.push(primary);
    await primary.start();
    const replica = new ManagedNode('replica', {
      dataDir: replicaDir,
      durable: false,
      standby: { primaryUrl: primary.adminUrl, name: STANDBY_NAME },
    });
    nodes.push(replica);
    await replica.start();
    await waitForSynchronousStandby(primary);
    return { primary, replica, nodes: `${primary.url},${replica.url}`, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}

class ManagedNode implements PgClusterNode {
  private node: EmbeddedNode | undefined;
  /** Where the node was last started; kept while it is down, so it keeps its place in GATER_NODES. */
  private last: { port: number; url: string; adminUrl: string } | undefined;

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

  async start(): Promise<void> {
    if (this.node) return;
    this.node = await startEmbeddedNode({ ...this.options, port: this.last?.port ?? this.options.port });
    this.last = { port: this.node.port, url: this.node.url, adminUrl: this.node.adminUrl };
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
export async function waitForSynchronousStandby(primary: PgClusterNode): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await primary.query<{ sync_state: string }>(
      `SELECT sync_state FROM pg_stat_replication WHERE application_name = '${STANDBY_NAME}' AND state = 'streaming'`,
    );
    if (rows[0]?.sync_state === 'sync') return;
    if (Date.now() > deadline) throw new Error('the replica did not become a streaming synchronous standby within 30 s');
    await sleep(100);
  }
}

/** mkdtemp makes 0700 folders; as root the server's `postgres` user has to get in. */
async function reachableTempFolder(name: string, folders: string[]): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), `gater-cluster-${name}-`));
  folders.push(folder);
  await fs.chmod(folder, 0o755);
  return folder;
}
