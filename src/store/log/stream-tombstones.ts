import type pg from 'pg';
import type { StoreTables } from '../tables.js';

/** For each stream asked for, in order: whether it was hard-deleted (a tombstone). */
export async function streamTombstones(db: pg.Pool, tables: StoreTables, streamIds: readonly string[]): Promise<boolean[]> {
  const { rows } = await db.query<{ stream_id: string }>(
    `SELECT stream_id FROM ${tables.streams} WHERE stream_id = ANY($1::text[]) AND deleted = 'hard'`,
    [streamIds],
  );
  const tombstones = new Set(rows.map((row) => row.stream_id));
  return streamIds.map((id) => tombstones.has(id));
}

/** SQL true when the stream whose id is `streamIdSql` was hard-deleted. */
export function isTombstone(tables: StoreTables, streamIdSql: string): string {
  return `EXISTS (SELECT 1 FROM ${tables.streams} WHERE stream_id = ${streamIdSql} AND deleted = 'hard')`;
}
