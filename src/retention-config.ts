type Env = Record<string, string | undefined>;
type IntegerReader = (env: Env, name: string, fallback: number, min: number, max: number) => number;

/** The background erasure of what stream metadata hides (maxCount, maxAgeSeconds, truncateBefore). */
export interface RetentionConfig {
  /** Pause between passes when there was no backlog. Default 10,000 ms (`GATER_RETENTION_INTERVAL_MS`). */
  intervalMs: number;
  /** Pause between passes while a backlog is being erased. Default 100 ms (`GATER_RETENTION_BUSY_PAUSE_MS`). */
  busyPauseMs: number;
  /** Most events one pass erases. Default 1,000 (`GATER_RETENTION_BATCH_EVENTS`). */
  maxEvents: number;
  /** Most streams with retention one pass examines. Default 1,000 (`GATER_RETENTION_BATCH_STREAMS`). */
  maxStreams: number;
}

export function loadRetentionConfig(env: Env, integer: IntegerReader): RetentionConfig {
  return {
    intervalMs: integer(env, 'GATER_RETENTION_INTERVAL_MS', 10_000, 10, 86_400_000),
    busyPauseMs: integer(env, 'GATER_RETENTION_BUSY_PAUSE_MS', 100, 0, 3_600_000),
    maxEvents: integer(env, 'GATER_RETENTION_BATCH_EVENTS', 1_000, 1, 1_000_000),
    maxStreams: integer(env, 'GATER_RETENTION_BATCH_STREAMS', 1_000, 1, 1_000_000),
  };
}
