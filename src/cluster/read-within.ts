import type pg from 'pg';
import { sendCancelRequest } from './cancel-request.js';

/**
 * Runs a read its caller can do without on a connection of `pool`, answered
 * within `withinMs` (waiting for the connection included): past that, its
 * statement is cancelled and the answer is undefined, as it is when the read
 * fails for any reason. A connection whose statement was asked to stop is
 * closed rather than lent again, so that a cancel arriving after the
 * statement ended cannot end the next borrower's.
 */
export function readWithin<T>(pool: pg.Pool, withinMs: number, run: (client: pg.PoolClient) => Promise<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    let givenUp = false;
    let borrowed: pg.PoolClient | undefined;
    const timer = setTimeout(() => {
      givenUp = true;
      if (borrowed) sendCancelRequest(borrowed);
      resolve(undefined);
    }, withinMs);
    const read = async (client: pg.PoolClient) => {
      borrowed = client;
      try {
        resolve(await run(client));
      } catch {
        resolve(undefined);
      } finally {
        clearTimeout(timer);
        client.release(givenUp ? new Error('a read given up on was cancelled') : undefined);
      }
    };
    pool.connect().then(
      (client) => (givenUp ? client.release() : read(client)),
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
