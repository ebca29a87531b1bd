import type pg from 'pg';

/**
 * Cuts a client's socket at once. `end()` would first say goodbye to the
 * server, which on a dead socket waits for TCP to give up; pending queries
 * fail with "Connection terminated unexpectedly" instead of hanging.
 */
export function cutConnection(client: pg.Client | pg.PoolClient): void {
  client.connection.stream.destroy();
}

/**
 * Rejects after `ms` unless `promise` settles first; the loser's outcome is ignored.
 * An answer that arrived while the event loop was busy elsewhere (fifty thousand
 * subscribes at once, say) is read in the loop's poll phase, which comes after its
 * timers: the verdict waits for that phase (setImmediate), so such an answer wins,
 * and a busy gateway does not take its own lag for a node that did not answer.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new Error(`${what} timed out after ${ms} ms`))), ms);
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
