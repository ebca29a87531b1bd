import type { EventStore } from '../event-store.js';

export interface RetentionWorkerOptions {
  /** Pause between passes when the last one found less than a full batch. Default 10,000 ms (`GATER_RETENTION_INTERVAL_MS`). */
  intervalMs: number;
  /** Pause between passes while a backlog is being erased. Default 100 ms (`GATER_RETENTION_BUSY_PAUSE_MS`). */
  busyPauseMs: number;
  /** Most events one pass erases. Default 1,000 (`GATER_RETENTION_BATCH_EVENTS`). */
  maxEvents: number;
  /** Most streams with retention one pass examines. Default 1,000 (`GATER_RETENTION_BATCH_STREAMS`). */
  maxStreams: number;
  log: (line: string) => void;
}

export interface RetentionWorker {
  stop(): Promise<void>;
}

/**
 * Runs each store's retention passes one after the other, on the leader, with
 * a pause between passes: short while a backlog remains, long when there is
 * none. A failed pass is logged and tried again after the long pause.
 */
export function startRetentionWorker(stores: readonly EventStore[], options: RetentionWorkerOptions): RetentionWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastTrouble: string | undefined;

  const passAll = async (): Promise<boolean> => {
    let backlog = false;
    for (const store of stores) {
      if (stopped) break;
      try {
        if (await store.retention.pass(options)) backlog = true;
        lastTrouble = undefined;
      } catch (error) {
        const trouble = `retention of store ${store.id}: pass failed, trying again later: ${(error as Error).message}`;
        if (trouble !== lastTrouble) options.log(trouble);
        lastTrouble = trouble;
      }
    }
    return backlog;
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = passAll().then((backlog) => {
        running = undefined;
        schedule(backlog ? options.busyPauseMs : options.intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
