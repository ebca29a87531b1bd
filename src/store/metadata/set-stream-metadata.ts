import type pg from 'pg';
import { notifyErasureSql, type Erasure } from '../erasures.js';
import { isTombstone } from '../log/stream-tombstones.js';
import { keptFromVersion } from '../retention/visible-sql.js';
import type { StoreTables } from '../tables.js';
import { METADATA_COLUMNS, toStreamMetadata, type MetadataRow } from './metadata-row.js';
import type { NewStreamMetadata, StreamMetadata } from './types.js';

/**
 * Replaces a stream's metadata as a whole (the stream need not exist yet).
 * Reads hide what the new limits exclude as soon as this commits; the
 * retention pass erases it later. When `truncateBefore` and `maxCount` now
 * hide more of the stream than before, every gateway is told below which
 * version when it commits, and `erasure` says it for this gateway's own
 * subscribers. Null metadata for a hard-deleted stream, which takes none: its
 * deletion erased its metadata, as it erased its events.
 */
export async function setStreamMetadata(
  db: pg.Pool,
  tables: StoreTables,
  metadata: NewStreamMetadata,
): Promise<{ metadata: StreamMetadata | null; erasure: Erasure | null }> {
  const { rows } = await db.query<MetadataRow & { kept_from: number; hides_more: boolean }>(
    `WITH previous AS MATERIALIZED (SELECT ${keptFromVersion(tables, '$1')} AS kept_from),
     saved AS (
       INSERT INTO ${tables.streamMetadata} (stream_id, max_count, max_age_seconds, truncate_before, custom)
       SELECT $1, $2, $3, $4, $5::jsonb WHERE NOT ${isTombstone(tables, '$1')}
       ON CONFLICT (stream_id) DO UPDATE SET
         max_count = excluded.max_count, max_age_seconds = excluded.max_age_seconds,
         truncate_before = excluded.truncate_before, custom = excluded.custom, updated = now()
       RETURNING ${METADATA_COLUMNS}
     ),
     -- As keptFromVersion, which cannot see the row this statement writes.
     kept AS (
       SELECT saved.*, greatest(coalesce(truncate_before, 0),
                                coalesce((SELECT s.version FROM ${tables.streams} s WHERE s.stream_id = $1) - max_count + 1, 0)) AS kept_from
       FROM saved
     ),
     judged AS (SELECT kept.*, kept.kept_from > (SELECT kept_from FROM previous) AS hides_more FROM kept)
     SELECT judged.*, CASE WHEN hides_more THEN ${notifyErasureSql(tables, 'stream_id', 'kept_from')} END AS notified FROM judged`,
    [metadata.streamId, metadata.maxCount, metadata.maxAgeSeconds, metadata.truncateBefore, metadata.customJson],
  );
  const row = rows[0];
  if (!row) return { metadata: null, erasure: null };
  return { metadata: toStreamMetadata(row), erasure: row.hides_more ? { streamId: metadata.streamId, beforeVersion: row.kept_from } : null };
}
