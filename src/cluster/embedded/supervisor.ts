import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningServer } from './postmaster.js';

export interface SupervisorOptions {
  /** Starts the server again, on its data folder and port. */
  restart: () => Promise<RunningServer>;
  log: (line: string) => void;
  /** Pause before the first restart; doubled after each one that fails. Default 250 ms. */
  initialBackoffMs?: number;
  /** Longest pause between two restarts. Default 10,000 ms. */
  maxBackoffMs?: number;
}

export interface Supervised {
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/**
 * Keeps a server running: when it exits without being asked to, starts it
 * again, pausing longer after each restart that fails, until one succeeds
 * or the supervisor is stopped. Stopping stops the server running then, and
 * a restart under way.
 */
export function supervise(first: RunningServer, { restart, log, initialBackoffMs = 250, maxBackoffMs = 10_000 }: SupervisorOptions): Supervised {
  let current = first;
  const stopping = new AbortController();
  const stopped = new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve()));

  const restartWithBackoff = async (): Promise<void> => {
    for (let pause = initialBackoffMs; ; pause = Math.min(pause * 2, maxBackoffMs)) {
      try {
        await sleep(pause, undefined, { signal: stopping.signal });
      } catch {
        return;
      }
      try {
        const next = await restart();
        if (stopping.signal.aborted) return next.stop();
        current = next;
        log('embedded node: PostgreSQL started again');
        return;
      } catch (error) {
        log(`embedded node: restarting PostgreSQL failed (${(error as Error).message}); trying again in ${Math.min(pause * 2, maxBackoffMs)} ms`);
      }
    }
  };

  const watching = (async () => {
    for (;;) {
      const why = await Promise.race([current.crashed, stopped]);
      if (stopping.signal.aborted) return;
      log(`embedded node: starting PostgreSQL again after it stopped unexpectedly (${why})`);
      await restartWithBackoff();
    }
  })();

  const end = async (how: 'stop' | 'kill') => {
    stopping.abort();
    await watching;
    await current[how]();
  };
  return { stop: () => end('stop'), kill: () => end('kill') };
}
