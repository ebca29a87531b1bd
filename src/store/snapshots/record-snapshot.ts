import type pg from 'pg';
import { isTombstone } from '../log/stream-tombstones.js';
import type { StoreTables } from '../tables.js';
import { SNAPSHOT_COLUMNS, toRecordedSnapshot, type SnapshotRow } from './snapshot-row.js';
import type { NewSnapshot, RecordedSnapshot } from './types.js';

/**
 * Writes a snapshot; one already recorded under the same key is replaced, and its created time moves to now.
 * Null when its stream uuid is a hard-deleted stream's, which takes none: its deletion erased its snapshots.
 */
export async function recordSnapshot(db: pg.Pool, tables: StoreTables, snapshot: NewSnapshot): Promise<RecordedSnapshot | null> {
  const { rows } = await db.query<SnapshotRow>(
    `INSERT INTO ${tables.snapshots} (source_uuid, stream_uuid, version, source_type, data, metadata)
     SELECT $1, $2, $3, $4, $5::jsonb, $6::jsonb WHERE NOT ${isTombstone(tables, '$2')}
     ON CONFLICT (source_uuid, stream_uuid, version) DO UPDATE
     SET source_type = excluded.source_type, data = excluded.data, metadata = excluded.metadata, created = now()
     RETURNING ${SNAPSHOT_COLUMNS}`,
    [snapshot.sourceUuid, snapshot.streamUuid, snapshot.version, snapshot.sourceType, snapshot.dataJson, snapshot.metadataJson],
  );
  return rows[0] ? toRecordedSnapshot(rows[0], tables.storeId) : null;
}
