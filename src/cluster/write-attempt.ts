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

/** A statement of the text that begins with COMMIT or END (a CASE's END follows no semicolon). */
const ENDS_TRANSACTION = /(?:^|;)\s*(?:COMMIT|END)\b/i;
const OPENS_TRANSACTION = /^\s*(?:BEGIN|START\s+TRANSACTION)\b/i;

/**
 * Whether a statement on a lent connection can store anything: every one
 * but those sent inside the transaction the connection is in and the one
 * that opens it, unless it may end it. Read from the text and from the
 * connection's state when nothing else is under way on it, so it errs
 * towards "can". A statement outside a transaction that opens none, the
 * common case, is answered without reading its text.
 */
function canStore(client: pg.PoolClient, text: string, othersUnderWay: boolean): boolean {
  if (othersUnderWay) return true;
  const status = client.getTransactionStatus();
  const insideTransaction = status === 'T' || status === 'E';
  if (!insideTransaction && !OPENS_TRANSACTION.test(text)) return true;
  return ENDS_TRANSACTION.test(text);
}

/** The statement was never sent, or the server answered it with an error, which rolled its transaction back. */
function storedNothing(error: unknown): boolean {
  return error instanceof WriteAbandonedError || (error as { severity?: unknown }).severity === 'ERROR';
}

/**
 * One try of a write on one node's pool. It lends connections as the pool
 * would (store writes call `query`, and `connect` for a transaction), and
 * keeps whether what it sent may have been stored, which decides what a
 * failure may be called: "unavailable" when nothing can have been stored,
 * "outcome unknown" otherwise. A statement may have stored something from
 * when it leaves until the server refuses it with an error; one that
 * succeeded or lost its answer may have. Statements of a lent connection's
 * transaction store nothing before its commit.
 */
export class WriteAttempt {
  /** Statements that can store something, sent and not answered yet. */
  private unanswered = 0;
  /** A statement that can store something succeeded or lost its answer. */
  private committedOrLost = false;
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

  /** True while the write may be stored: a statement that can store something is under way, succeeded, or lost its answer. */
  get mayBeStored(): boolean {
    return this.committedOrLost || this.unanswered > 0;
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

  /** Sends a statement that can store something, keeping whether it may have. */
  private async committing<T>(send: () => Promise<T>): Promise<T> {
    this.unanswered++;
    try {
      const result = await send();
      this.committedOrLost = true;
      return result;
    } catch (error) {
      if (!storedNothing(error)) this.committedOrLost = true;
      throw error;
    } finally {
      this.unanswered--;
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
    let underWay = 0;
    const query = async (statement: string | pg.QueryConfig, values?: unknown[]) => {
      if (this.abandoned) throw new WriteAbandonedError();
      const send = () => (typeof statement === 'string' ? client.query(statement, values) : client.query(statement));
      const stores = canStore(client, typeof statement === 'string' ? statement : statement.text, underWay > 0);
      underWay++;
      try {
        return await (stores ? this.committing(send) : send());
      } finally {
        underWay--;
      }
    };
    return {
      query: query as pg.PoolClient['query'],
      release: (error?: Error) => {
        client.removeListener('error', ignore);
        this.busy.delete(client);
        // Once abandoned, a cancel may still be on its way to this session: it must not reach the next borrower's statement.
        client.release(error ?? (this.abandoned ? new WriteAbandonedError() : undefined));
      },
    };
  }
}
