import type pg from 'pg';
import type { StoreTables } from '../tables.js';

/** Current version of each stream asked for, -1 for a stream that does not exist or was deleted; in the order asked. */
export async function streamVersions(db: pg.Pool, tables: StoreTables, streamIds: readonly string[]): Promise<number[]> {
  const { rows } = await db.query<{ stream_id: string; version: number }>(
    `SELECT stream_id, version FROM ${tables.streams} WHERE stream_id = ANY($1::text[]) AND deleted IS NULL`,
    [streamIds],
  );
  const versions = new Map(rows.map((row) => [row.stream_id, row.version]));
  return streamIds.map((id) => versions.get(id) ?? -1);
}
