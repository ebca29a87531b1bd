import type pg from 'pg';
import type { StoreTables } from '../tables.js';

/** The version of a stream's first event at or after a global position; null when it has none there. */
export async function firstVersionFrom(db: pg.Pool, tables: StoreTables, streamId: string, position: number): Promise<number | null> {
  const { rows } = await db.query<{ version: number | null }>(
    `SELECT min(version) AS version FROM ${tables.events} WHERE stream_id = $1 AND position >= $2`,
    [streamId, position],
  );
  return rows[0]?.version ?? null;
}
