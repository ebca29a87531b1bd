import type pg from 'pg';
import { openNode, type ClusterNode } from './node.js';

/** Where requests go: writes to the leader, reads to a healthy node. */
export interface Cluster {
  readonly nodes: readonly ClusterNode[];
  /** The pool of the node that takes writes. */
  leader(): pg.Pool;
  /** The pool of a node that can serve reads. */
  reader(): pg.Pool;
  /** A dedicated session on the leader, for LISTEN. */
  connectToLeader(): Promise<pg.Client>;
  /** True when the leader answers and accepts writes. */
  ready(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  urls: string[];
  /** True when the single node is the gateway's own embedded server. */
  embedded: boolean;
  log: (message: string) => void;
}

/** A cluster of the configured nodes. Today it is one node that both leads and serves reads. */
export function createCluster({ urls, embedded, log }: ClusterOptions): Cluster {
  if (urls.length !== 1) throw new Error(`one PostgreSQL node is supported, got ${urls.length}`);
  const nodes = urls.map((url) => openNode({ url, embedded, log }));
  const only = nodes[0]!;
  return {
    nodes,
    leader: () => only.pool,
    reader: () => only.pool,
    connectToLeader: () => only.connect(),
    async ready() {
      try {
        const { rows } = await only.pool.query<{ replica: boolean }>('SELECT pg_is_in_recovery() AS replica');
        return rows[0]?.replica === false;
      } catch {
        return false;
      }
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.pool.end()));
    },
  };
}
