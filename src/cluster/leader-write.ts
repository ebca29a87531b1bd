import type pg from 'pg';
import { ClusterUnavailableError, WriteOutcomeUnknownError } from './cluster-errors.js';
import { classifyDatabaseError } from './database-errors.js';
import { WriteAttempt } from './write-attempt.js';

export type Failure = 'lost_connection' | 'read_only' | null;

/** What a failure allows: a lost connection or a refusing replica may be worth a retry on the leader a probe finds. */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof ClusterUnavailableError) return null;
  switch (classifyDatabaseError(error)) {
    case 'unavailable':
      return 'lost_connection';
    case 'read_only':
      return 'read_only';
    default:
      return null;
  }
}

export interface LeaderWrite<T> {
  run: (db: pg.Pool) => Promise<T>;
  /** The leader's write pool; `afterProbe` for the retry, which takes only a leader a fresh probe found healthy. */
  leaderPool: (afterProbe: boolean) => pg.Pool;
  probeNow: () => Promise<void>;
  /** Makes running the write again harmless; without it a lost connection is not retried. */
  prepareRetry?: () => void;
  /** When the answer is due, on `performance.now()`'s clock. */
  deadline: number;
  /** The timeout the deadline came from, for the error message. */
  timeoutMs: number;
}

/**
 * Runs a write on the leader, and retries it once on the leader a fresh
 * probe finds when the first node refused it as read-only, or lost the
 * connection and `prepareRetry` is given. Settles by the deadline. Once a
 * statement may have been committed, every failure, the deadline included,
 * is a WriteOutcomeUnknownError; before that, a cluster failure means that
 * nothing was written.
 */
export async function writeOnLeader<T>(write: LeaderWrite<T>): Promise<T> {
  const attempts: WriteAttempt[] = [];
  /** Attempts a replica refused outright: they stored nothing. */
  const refused = new Set<WriteAttempt>();
  let over = false;
  const maybeWritten = () => attempts.some((attempt) => attempt.mayBeStored && !refused.has(attempt));
  const attempt = (afterProbe: boolean) => {
    const next = new WriteAttempt(write.leaderPool(afterProbe));
    attempts.push(next);
    if (over) next.abandon();
    return next;
  };

  const tries = async (): Promise<T> => {
    const first = attempt(false);
    try {
      return await write.run(first.db);
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure === 'read_only') refused.add(first);
      const retrySafe = failure === 'read_only' || (failure === 'lost_connection' && write.prepareRetry !== undefined);
      if (!retrySafe) {
        if (failure !== null) void write.probeNow();
        throw failure === 'lost_connection' && maybeWritten() ? unknownAfter(error) : error;
      }
      if (failure === 'lost_connection') write.prepareRetry?.();
    }
    try {
      await write.probeNow();
      return await write.run(attempt(true).db);
    } catch (error) {
      throw maybeWritten() ? unknownAfter(error) : error;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      over = true;
      for (const each of attempts) each.abandon();
      reject(
        maybeWritten()
          ? new WriteOutcomeUnknownError(`the write was sent but not confirmed within ${write.timeoutMs} ms (GATER_WRITE_TIMEOUT_MS); it may or may not be stored`)
          : new ClusterUnavailableError(`the leader could not take the write within ${write.timeoutMs} ms (GATER_WRITE_TIMEOUT_MS)`),
      );
    }, Math.max(0, write.deadline - performance.now()));
  });
  const work = tries();
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function unknownAfter(error: unknown): WriteOutcomeUnknownError {
  if (error instanceof WriteOutcomeUnknownError) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new WriteOutcomeUnknownError(`the write was sent but its answer was lost (${why}); it may or may not be stored`);
}
