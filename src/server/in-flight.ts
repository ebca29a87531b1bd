import { setTimeout as sleep } from 'node:timers/promises';

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** How often a drain looks again; also how often it closes the keep-alive connections gone idle. */
const DRAIN_POLL_MS = 25;

/**
 * Work the server has taken on and not yet answered: HTTP requests and
 * graphql-ws queries and mutations. A stop waits for it to reach zero.
 */
export class InFlight {
  private running = 0;

  get count(): number {
    return this.running;
  }

  /** Counts one piece of work; the answer ends it (a second call does nothing). */
  begin(): () => void {
    this.running++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.running--;
    };
  }

  /**
   * Counts `work` until it settles; with `onFailure`, answers what that makes
   * of a failure, thrown or rejected, instead of the failure. One reaction
   * both ends the count and handles the failure: this wraps every operation.
   */
  track<T, F = never>(work: () => T | Promise<T>, onFailure?: (error: unknown) => F): T | F | Promise<T | F> {
    const end = this.begin();
    let result: T | Promise<T>;
    try {
      result = work();
    } catch (error) {
      end();
      if (onFailure) return onFailure(error);
      throw error;
    }
    if (!isThenable(result)) {
      end();
      return result;
    }
    return Promise.resolve(result).then(
      (settled) => {
        end();
        return settled;
      },
      (error: unknown) => {
        end();
        if (onFailure) return onFailure(error);
        throw error;
      },
    );
  }

  /** True once nothing is in flight, false if `timeoutMs` passed first; `meanwhile` runs on every look. */
  async settled(timeoutMs: number, meanwhile: () => void = () => undefined): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      meanwhile();
      if (this.running === 0) return true;
      if (performance.now() >= deadline) return false;
      await sleep(Math.min(DRAIN_POLL_MS, Math.max(1, deadline - performance.now())));
    }
  }
}
