import pg from 'pg';

/** One PostgreSQL server of the cluster, with its own connection pool. */
export interface ClusterNode {
  /** host:port, stable for the node's life. */
  id: string;
  /** The URL without credentials, safe to show to clients. */
  address: string;
  embedded: boolean;
  pool: pg.Pool;
  /** A connection of its own, outside the pool, for a session that lives long (LISTEN). */
  connect(): Promise<pg.Client>;
}

export interface NodeOptions {
  url: string;
  embedded: boolean;
  /** Connections kept per node. Default 20. */
  maxConnections?: number;
  log: (message: string) => void;
}

export function openNode({ url, embedded, maxConnections = 20, log }: NodeOptions): ClusterNode {
  const parsed = new URL(url);
  const id = `${parsed.hostname}:${parsed.port || '5432'}`;
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'gater',
  });
  // An idle client losing its server emits here; without a listener the process would crash.
  pool.on('error', (error) => log(`node ${id}: idle connection lost: ${error.message}`));
  const connect = async () => {
    const client = new pg.Client({ connectionString: url, application_name: 'gater-listener', connectionTimeoutMillis: 5_000 });
    await client.connect();
    return client;
  };
  return { id, address: `postgres://${id}${parsed.pathname}`, embedded, pool, connect };
}
