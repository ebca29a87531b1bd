import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterUnavailableError, WriteOutcomeUnknownError } from '../../src/cluster/cluster-errors.js';
import { writeOnLeader } from '../../src/cluster/leader-write.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const TIMEOUT_MS = 1_000;
const LOCK_KEY = 4242;

let database: TestDatabase;
let pool: pg.Pool;
let observer: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url });
  pool.on('error', () => undefined);
  observer = new pg.Pool({ connectionString: database.url });
  await observer.query('CREATE TABLE written (note text NOT NULL)');
  // A commit that takes its time: a deferred trigger runs at COMMIT, so the commit is still under way at the deadline.
  await observer.query(`
    CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$;
    CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON written DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.note LIKE 'slow%') EXECUTE FUNCTION slow_commit();
    CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at the end'; END $$;
    CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON written DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.note LIKE 'doomed%') EXECUTE FUNCTION refuse()`);
});

afterAll(async () => {
  await pool.end();
  await observer.end();
  await database.drop();
});

function write(run: (db: pg.Pool) => Promise<unknown>) {
  return writeOnLeader({
    run,
    leaderPool: () => pool,
    probeNow: async () => undefined,
    deadline: performance.now() + TIMEOUT_MS,
    timeoutMs: TIMEOUT_MS,
  });
}

/** Runs `statements` in turn on a connection the write lends. */
async function onLentConnection(db: pg.Pool, statements: string[]): Promise<void> {
  const connection = await db.connect();
  try {
    for (const statement of statements) await connection.query(statement);
    connection.release();
  } catch (error) {
    connection.release(error as Error);
    throw error;
  }
}

async function notes(): Promise<string[]> {
  const { rows } = await observer.query<{ note: string }>('SELECT note FROM written ORDER BY note');
  return rows.map((row) => row.note);
}

/** Holds the advisory lock a transaction of the write waits for, until the returned function lets it go. */
async function holdLock(): Promise<() => Promise<void>> {
  const holder = await observer.connect();
  await holder.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  return async () => {
    await holder.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    holder.release();
  };
}

/** Until no session of the write's pool is left waiting for the lock: the abandoned transaction was cut. */
async function noWaiter(): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const { rows } = await observer.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1`,
      [LOCK_KEY],
    );
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('a session of the abandoned write still waits for the lock');
}

describe('what a write that misses its deadline is called', () => {
  it('is unavailable, not of unknown outcome, when its transaction was still waiting for a lock before its commit, whose session is cut', async () => {
    const release = await holdLock();
    try {
      const outcome = write((db) => onLentConnection(db, [`BEGIN; SELECT pg_advisory_xact_lock(${LOCK_KEY})`, `INSERT INTO written VALUES ('locked')`, 'COMMIT']));
      await expect(outcome).rejects.toBeInstanceOf(ClusterUnavailableError);
      await noWaiter();
    } finally {
      await release();
    }
  });

  it('is unavailable when the only statement the server got was refused with an error', async () => {
    const outcome = write(async (db) => {
      await db.query(`INSERT INTO written SELECT 'refused' WHERE 1 / 0 = 1`).catch(() => undefined);
      await new Promise(() => undefined);
    });
    await expect(outcome).rejects.toBeInstanceOf(ClusterUnavailableError);
    expect(await notes()).not.toContain('refused');
  });

  it('is of unknown outcome when its commit was under way at the deadline', async () => {
    const outcome = write((db) => onLentConnection(db, ['BEGIN', `INSERT INTO written VALUES ('slow commit')`, 'COMMIT']));
    await expect(outcome).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
  });

  it('is unavailable when the commit itself was refused with an error, which rolled the transaction back', async () => {
    const outcome = write(async (db) => {
      await onLentConnection(db, ['BEGIN', `INSERT INTO written VALUES ('doomed')`, 'COMMIT']).catch(() => undefined);
      await new Promise(() => undefined);
    });
    await expect(outcome).rejects.toBeInstanceOf(ClusterUnavailableError);
    expect(await notes()).not.toContain('doomed');
  });

  it('is of unknown outcome when a statement outside a transaction was under way on a lent connection', async () => {
    const outcome = write((db) => onLentConnection(db, [`INSERT INTO written SELECT 'lent statement' FROM pg_sleep(2)`]));
    await expect(outcome).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
  });

  it('is of unknown outcome when a statement that commits by itself was under way, and after one succeeded', async () => {
    const underWay = write((db) => db.query(`INSERT INTO written SELECT 'sleepy statement' FROM pg_sleep(2)`));
    await expect(underWay).rejects.toBeInstanceOf(WriteOutcomeUnknownError);

    const afterSuccess = write(async (db) => {
      await db.query(`INSERT INTO written VALUES ('stored')`);
      await new Promise(() => undefined);
    });
    await expect(afterSuccess).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(await notes()).toContain('stored');
  });
});
