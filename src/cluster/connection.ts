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
 * Rejects after `ms` of the event loop's own time (`afterLoopTime`) unless
 * `promise` settles first; the loser's outcome is ignored. An answer that
 * arrived while the loop was busy elsewhere (fifty thousand subscribes at
 * once, say) still wins, so a busy gateway does not take its own lag for a
 * node that did not answer.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let cancel: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    cancel = afterLoopTime(ms, () => reject(new Error(`${what} timed out after ${ms} ms`)));
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    cancel?.();
  }
}

/** How much of a timeout one of `afterLoopTime`'s steps counts. */
const LOOP_TIME_STEP_MS = 100;

/**
 * Calls `expire` once `ms` of the event loop's own time has passed, counted
 * in steps of at most 100 ms, each counted once however late it runs: a loop
 * kept busy elsewhere (fifty thousand subscribes at once) does not charge
 * its lag to the other side, however many turns of the loop its answer
 * takes (a connection's handshake takes several). Answers what cancels it.
 */
export function afterLoopTime(ms: number, expire: () => void): () => void {
  let left = ms;
  let timer: NodeJS.Timeout;
  let verdict: NodeJS.Immediate | undefined;
  const step = () => {
    left -= LOOP_TIME_STEP_MS;
    // Timers run before the poll phase reads what arrived meanwhile: the verdict waits for that phase.
    if (left <= 0) verdict = setImmediate(expire);
    else timer = setTimeout(step, Math.min(LOOP_TIME_STEP_MS, left));
  };
  timer = setTimeout(step, Math.min(LOOP_TIME_STEP_MS, ms));
  return () => {
    clearTimeout(timer);
    clearImmediate(verdict);
  };
}
