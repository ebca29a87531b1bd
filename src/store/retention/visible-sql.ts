import type { StoreTables } from '../tables.js';

/** A metadata row that limits its stream; the same text as the partial index of migration 008, so the planner uses it. */
export const RETENTION_IS_SET = '(max_count IS NOT NULL OR max_age_seconds IS NOT NULL OR truncate_before IS NOT NULL)';

/**
 * Whether event row `e` lies outside the limits of metadata row `m`: before
 * `truncate_before`, older than `max_age_seconds`, or more than `max_count`
 * behind its stream's version. CASE keeps the version lookup to streams
 * that have a `max_count`.
 */
export function hiddenBy(t: StoreTables, m: string, e: string): string {
  return `(${e}.version < ${m}.truncate_before
      OR ${e}.created < now() - ${m}.max_age_seconds * interval '1 second'
      OR CASE WHEN ${m}.max_count IS NULL THEN false
         ELSE ${e}.version <= (SELECT s.version FROM ${t.streams} s WHERE s.stream_id = ${m}.stream_id) - ${m}.max_count END)`;
}

/**
 * SQL that holds for an event row (alias `e`) that retention leaves visible.
 * The first test is uncorrelated, so PostgreSQL runs it once per statement
 * (an InitPlan): while no stream of the store has retention, no row pays for
 * a lookup and keyset scans keep their plans.
 */
export function visibleEvent(t: StoreTables, e = 'e'): string {
  return `(NOT EXISTS (SELECT 1 FROM ${t.streamMetadata} WHERE ${RETENTION_IS_SET})
    OR NOT EXISTS (SELECT 1 FROM ${t.streamMetadata} m WHERE m.stream_id = ${e}.stream_id AND ${hiddenBy(t, 'm', e)}))`;
}

/**
 * The lowest version that `truncateBefore` and `maxCount` keep of the stream
 * named by `streamId` (an SQL expression), 0 when nothing limits it. As a
 * bound on `version` it lets a stream read start its index scan past what
 * they hide, instead of filtering it out row by row.
 */
export function keptFromVersion(t: StoreTables, streamId: string): string {
  return `coalesce((SELECT greatest(coalesce(m.truncate_before, 0), coalesce(s.version - m.max_count + 1, 0))
    FROM ${t.streamMetadata} m LEFT JOIN ${t.streams} s ON s.stream_id = m.stream_id WHERE m.stream_id = ${streamId}), 0)`;
}
