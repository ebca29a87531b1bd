import type pg from 'pg';
import { sendCancelRequest } from './cancel-request.js';
import { cutConnection } from './connection.js';

/** How long a cancelled statement has to give its connection back before the connection is cut. */
const CANCEL_GRACE_MS = 2_000;

/** What an abandoned write's later statements fail with; nobody waits for them any more. */
export class WriteAbandonedError extends Error {
  constructor() {
    super('the write was abandoned at its deadline');
    this.name = 'WriteAbandonedError';
  }
}

/** A connection lent for a transaction of a write; released with an error, it is closed, which rolls back what it began. */
export interface WriteConnection {
  query: pg.PoolClient['query'];
  release(error?: Error): void;
}

/**
 * One try of a write on one node's pool. It lends connections as the pool
 * would (store writes call `query`, and `connect` for a transaction), and
 * remembers whether a statement left for the server, which decides what a
 * failure may be called: nothing sent is "unavailable", anything sent may
 * have been committed.
 */
export class WriteAttempt {
  private statementSent = false;
  private abandoned = false;
  private readonly busy = new Set<pg.PoolClient>();
  /** The pool as the store's write sees it. */
  readonly db: pg.Pool;

  constructor(private readonly pool: pg.Pool) {
    this.db = {
      query: (statement: string | pg.QueryConfig, values?: unknown[]) => this.query(statement, values),
      connect: () => this.connect(),
    } as unknown as pg.Pool;
  }

  /** True once a statement was handed to a connection: from then on it may have been committed. */
  get sent(): boolean {
    return this.statementSent;
  }

  /**
   * The deadline passed: nothing more is sent, and the statements under way
   * are cancelled, their connections cut if the server does not answer soon.
   */
  abandon(): void {
    this.abandoned = true;
    for (const client of this.busy) {
      sendCancelRequest(client);
      setTimeout(() => {
        if (this.busy.has(client)) cutConnection(client);
      }, CANCEL_GRACE_MS).unref();
    }
  }

  private async query(statement: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    const connection = await this.connect();
    try {
      const result = await (connection.query as (statement: string | pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>)(statement, values);
      connection.release();
      return result;
    } catch (error) {
      // As pool.query does: a connection whose statement failed is not lent again.
      connection.release(error as Error);
      throw error;
    }
  }

  /** A connection of its own until released: its statements are cancelled, and it is cut, if the write is abandoned meanwhile. */
  private async connect(): Promise<WriteConnection> {
    if (this.abandoned) throw new WriteAbandonedError();
    const client = await this.pool.connect();
    if (this.abandoned) {
      client.release();
      throw new WriteAbandonedError();
    }
    this.busy.add(client);
    // A connection lost mid-statement also emits 'error'; the statement's own failure tells it.
    const ignore = () => undefined;
    client.on('error', ignore);
    const query = (statement: string | pg.QueryConfig, values?: unknown[]) => {
      if (this.abandoned) return Promise.reject(new WriteAbandonedError());
      this.statementSent = true;
      return typeof statement === 'string' ? client.query(statement, values) : client.query(statement);
    };
    return {
      query: query as pg.PoolClient['query'],
      release: (error?: Error) => {
        client.removeListener('error', ignore);
        this.busy.delete(client);
        client.release(error);
      },
    };
  }
}
