import type pg from 'pg';
import { sendCancelRequest } from './cancel-request.js';

/**
 * Runs a read its caller can do without on a connection of `pool`: past
 * `withinMs` its statement is cancelled and the answer is undefined, as it is
 * when the read fails for any reason. A connection whose statement was asked
 * to stop is closed rather than lent again, so that a cancel arriving after
 * the statement ended cannot end the next borrower's.
 */
export async function readWithin<T>(pool: pg.Pool, withinMs: number, run: (client: pg.PoolClient) => Promise<T>): Promise<T | undefined> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch {
    return undefined;
  }
  let cancelled = false;
  const timer = setTimeout(() => {
    cancelled = true;
    sendCancelRequest(client);
  }, withinMs);
  try {
    const answer = await run(client);
    return cancelled ? undefined : answer;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    client.release(cancelled ? new Error('a read given up on was cancelled') : undefined);
  }
}
