import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import type { StoreStats } from '../types.js';

/**
 * The store's counts as a caller limited to some streams sees them: its
 * streams, their events, and the position of the newest of those. A
 * deleted stream has no event at its version, so the join leaves it out.
 */
export async function scopedStats(db: pg.Pool, tables: StoreTables, streamPatterns: readonly string[]): Promise<StoreStats> {
  const { rows } = await db.query<{ stream_count: string; event_count: string | null; head: string | null }>(
    `SELECT count(*) AS stream_count, sum(s.version - s.first_version + 1) AS event_count, max(e.position) AS head
     FROM ${tables.streams} s
     LEFT JOIN ${tables.events} e ON e.stream_id = s.stream_id AND e.version = s.version
     LEFT JOIN ${tables.streamMetadata} m ON m.stream_id = s.stream_id
     WHERE s.stream_id LIKE ANY ($1::text[])`,
    [streamPatterns],
  );
  const row = rows[0];
  return { streamCount: Number(row?.stream_count ?? 0), eventCount: Number(row?.event_count ?? 0), headPosition: Number(row?.head ?? 0) };
}
