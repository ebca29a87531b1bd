import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startEmbeddedCluster,
  waitForSynchronousStandby,
  type EmbeddedClusterNode,
  type EmbeddedClusterOptions,
} from '../../src/cluster/embedded-cluster.js';

export { waitForSynchronousStandby };

export type PgClusterOptions = Pick<EmbeddedClusterOptions, 'synchronousCommit'>;

/** One PostgreSQL server of a test cluster, which a test may kill, restart and promote. */
export type PgClusterNode = EmbeddedClusterNode;

export interface PgCluster {
  primary: PgClusterNode;
  replica: PgClusterNode;
  /** GATER_NODES: the primary's URL, then the replica's. */
  nodes: string;
  /** Stops every server it started and deletes their data; safe to call after a failure part-way. */
  destroy(): Promise<void>;
}

/** A throwaway primary and synchronous streaming replica (see `startEmbeddedCluster`), not durable, in a temp folder. */
export async function startPgCluster({ synchronousCommit }: PgClusterOptions = {}): Promise<PgCluster> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-cluster-'));
  // mkdtemp makes 0700 folders; as root the server's `postgres` user has to get in.
  await fs.chmod(folder, 0o755);
  const remove = () => fs.rm(folder, { recursive: true, force: true });
  try {
    const cluster = await startEmbeddedCluster({ dataDir: folder, durable: false, synchronousCommit });
    const destroy = async () => {
      await cluster.kill();
      await remove();
    };
    return { primary: cluster.primary, replica: cluster.replica, nodes: cluster.nodes, destroy };
  } catch (error) {
    await remove();
    throw error;
  }
}
