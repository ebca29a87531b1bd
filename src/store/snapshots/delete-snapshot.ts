import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import type { SnapshotKey } from './types.js';

/** Deletes one snapshot; answers whether there was one. */
export async function deleteSnapshot(db: pg.Pool, tables: StoreTables, key: SnapshotKey): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM ${tables.snapshots} WHERE source_uuid = $1 AND stream_uuid = $2 AND version = $3`,
    [key.sourceUuid, key.streamUuid, key.version],
  );
  return (rowCount ?? 0) > 0;
}
