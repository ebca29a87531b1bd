import type pg from 'pg';
import { isTombstone } from '../log/stream-tombstones.js';
import type { StoreTables } from '../tables.js';
import { METADATA_COLUMNS, toStreamMetadata, type MetadataRow } from './metadata-row.js';
import type { NewStreamMetadata, StreamMetadata } from './types.js';

/**
 * Replaces a stream's metadata as a whole (the stream need not exist yet).
 * Reads hide what the new limits exclude as soon as this commits; the
 * retention pass erases it later. Null for a hard-deleted stream, which
 * takes none: its deletion erased its metadata, as it erased its events.
 */
export async function setStreamMetadata(db: pg.Pool, tables: StoreTables, metadata: NewStreamMetadata): Promise<StreamMetadata | null> {
  const { rows } = await db.query<MetadataRow>(
    `INSERT INTO ${tables.streamMetadata} (stream_id, max_count, max_age_seconds, truncate_before, custom)
     SELECT $1, $2, $3, $4, $5::jsonb WHERE NOT ${isTombstone(tables, '$1')}
     ON CONFLICT (stream_id) DO UPDATE SET
       max_count = excluded.max_count, max_age_seconds = excluded.max_age_seconds,
       truncate_before = excluded.truncate_before, custom = excluded.custom, updated = now()
     RETURNING ${METADATA_COLUMNS}`,
    [metadata.streamId, metadata.maxCount, metadata.maxAgeSeconds, metadata.truncateBefore, metadata.customJson],
  );
  return rows[0] ? toStreamMetadata(rows[0]) : null;
}
