import pg from 'pg';
import { afterLoopTime, cutConnection } from './connection.js';
import { afterProbe, UNPROBED, type NodeState } from './node-health.js';
import { NodeProbe } from './probe.js';

/**
 * How long a query may wait for a pooled connection. pg-pool uses one
 * setting for that wait and for opening a connection; they are told apart
 * here, so that a burst of queries (thousands of subscriptions starting at
 * once) waits its turn, while opening a connection to a dead node still
 * gives up after the probe timeout.
 */
const POOL_WAIT_MS = 30_000;

/**
 * Pool clients that give up connecting after `connectTimeoutMs` of the event
 * loop's time (`afterLoopTime`), as node-postgres's own timeout does after
 * as much wall-clock time: a burst that keeps the loop busy past it failed
 * every connection opened meanwhile with "timeout expired", and refused its
 * queries as if the node were down.
 */
function clientWithConnectTimeout(connectTimeoutMs: number): typeof pg.Client {
  return class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({ ...(typeof config === 'string' ? { connectionString: config } : config), connectionTimeoutMillis: 0 });
    }

    override connect(): Promise<pg.Client>;
    override connect(callback: (error: Error) => void): void;
    override connect(callback?: (error: Error) => void): Promise<pg.Client> | void {
      const connection = this.connection as pg.Connection & { _ending?: boolean };
      // What node-postgres's own timeout does: the connection ends, and connecting fails with "timeout expired".
      const cancel = afterLoopTime(connectTimeoutMs, () => {
        connection._ending = true;
        connection.stream.destroy(new Error('timeout expired'));
      });
      if (callback) {
        super.connect((error: Error) => {
          cancel();
          callback(error);
        });
        return;
      }
      return super.connect().finally(cancel);
    }
  };
}

/** One PostgreSQL server of the cluster, with its own connection pool. */
export interface ClusterNode {
  /** host:port, stable for the node's life. */
  id: string;
  /** The URL without credentials, safe to show to clients. */
  address: string;
  embedded: boolean;
  /** Connections for writes (and migrations). */
  pool: pg.Pool;
  /** Connections for reads, apart from the writes' so that neither can starve the other; each statement is bounded by the read timeout. */
  readPool: pg.Pool;
  /** A connection of its own, outside the pools, for a session that lives long (LISTEN). */
  connect(): Promise<pg.Client>;
  /** What the probes last found. */
  readonly state: NodeState;
}

export interface NodeOptions {
  url: string;
  embedded: boolean;
  /** Connections kept per node for reads. Default 20. */
  maxReadConnections?: number;
  /** Connections kept per node for writes. Default 10. */
  maxWriteConnections?: number;
  /** Longest a read statement runs (PostgreSQL's statement_timeout on the read connections). Default 30,000 ms. */
  readTimeoutMs?: number;
  /** Longest wait to open a connection, and for a probe's answer. Default 5000 ms. */
  timeoutMs?: number;
  log: (message: string) => void;
}

/** A node as the cluster runs it: pool, probe, and the sessions it handed out, which it can cut when the node fails. */
export class PostgresNode implements ClusterNode {
  readonly id: string;
  readonly address: string;
  readonly embedded: boolean;
  readonly pool: pg.Pool;
  readonly readPool: pg.Pool;
  state: NodeState = UNPROBED;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly prober: NodeProbe;
  private readonly pooled = new Set<pg.Client>();
  private readonly sessions = new Set<pg.Client>();

  constructor({ url, embedded, maxReadConnections = 20, maxWriteConnections = 10, readTimeoutMs = 30_000, timeoutMs = 5_000, log }: NodeOptions) {
    const parsed = new URL(url);
    this.id = `${parsed.hostname}:${parsed.port || '5432'}`;
    this.address = `postgres://${this.id}${parsed.pathname}`;
    this.embedded = embedded;
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.prober = new NodeProbe(url, timeoutMs);
    this.pool = this.openPool(maxWriteConnections, {}, log);
    this.readPool = this.openPool(maxReadConnections, { statement_timeout: readTimeoutMs }, log);
  }

  /** Writes are bounded by the cluster's deadline instead: a commit waiting for a standby is not a statement a timeout can end. */
  private openPool(max: number, settings: Pick<pg.PoolConfig, 'statement_timeout'>, log: (message: string) => void): pg.Pool {
    const pool = new pg.Pool({
      connectionString: this.url,
      max,
      Client: clientWithConnectTimeout(this.timeoutMs),
      connectionTimeoutMillis: POOL_WAIT_MS,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'gater',
      ...settings,
    });
    // An idle client losing its server emits here; without a listener the process would crash.
    // Once the node is DOWN the cluster cut them itself, and the news is already out.
    pool.on('error', (error) => {
      if (this.state.health !== 'DOWN') log(`node ${this.id}: idle connection lost: ${error.message}`);
    });
    pool.on('connect', (client) => this.pooled.add(client));
    pool.on('remove', (client) => this.pooled.delete(client));
    return pool;
  }

  async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'gater-listener',
      connectionTimeoutMillis: this.timeoutMs,
      keepAlive: true,
    });
    // Until its caller listens for a loss (and after it lets go, while the session closes) a terminated
    // session would emit 'error' to no one, which crashes the process.
    client.on('error', () => undefined);
    client.once('end', () => this.sessions.delete(client));
    this.sessions.add(client);
    try {
      await client.connect();
    } catch (error) {
      this.sessions.delete(client);
      throw error;
    }
    return client;
  }

  /** Probes the node and records what it found; answers the state before and after. */
  async probe(downAfterFailures: number): Promise<{ before: NodeState; after: NodeState }> {
    const before = this.state;
    this.state = afterProbe(before, await this.prober.probe(), downAfterFailures);
    return { before, after: this.state };
  }

  /**
   * Cuts the long sessions handed out by `connect`: their owners see an
   * error and connect again, to whichever node leads by then.
   */
  cutSessions(): void {
    for (const client of this.sessions) cutConnection(client);
  }

  /** Cuts every connection to a node found DOWN, so that no query waits on a dead socket. */
  cutAll(): void {
    for (const client of this.pooled) cutConnection(client);
    this.cutSessions();
  }

  async close(): Promise<void> {
    this.prober.close();
    await Promise.all([this.pool.end(), this.readPool.end()]);
  }
}

export function openNode(options: NodeOptions): PostgresNode {
  return new PostgresNode(options);
}
