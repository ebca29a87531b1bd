import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { SNAPSHOT_COLUMNS, toRecordedSnapshot, type SnapshotRow } from './snapshot-row.js';
import type { Page } from '../types.js';
import type { RecordedSnapshot, SnapshotKey } from './types.js';

export interface ListSnapshotsOptions {
  /** Only this source's snapshots. */
  sourceUuid: string | undefined;
  /** Only this stream's snapshots. */
  streamUuid: string | undefined;
  /** Exclusive: the key of the last snapshot of the previous page. */
  after: SnapshotKey | undefined;
  limit: number;
  /** LIKE patterns of the streams the reader may see (StreamScope.likePatterns); absent: every stream. */
  streamPatterns?: readonly string[];
}

const ORDER = 'source_uuid, stream_uuid, version DESC';

/**
 * Snapshots ordered by source, stream, then version newest first (bytewise
 * ids), optionally of one source, one stream or both. The order is mixed, so
 * no single row comparison says "after the cursor": what follows it is the
 * rest of its stream (older versions), the later streams of its source, and
 * the later sources. Each of the three is one range of an index whatever the
 * filters (a stream filter makes the last a range of `snapshots_by_stream`),
 * read no further than one page; the merge of the three is the page.
 */
export async function listSnapshots(
  db: pg.Pool,
  tables: StoreTables,
  { sourceUuid, streamUuid, after, limit, streamPatterns }: ListSnapshotsOptions,
): Promise<Page<RecordedSnapshot>> {
  const params: unknown[] = [limit + 1];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const filters: string[] = [];
  if (sourceUuid !== undefined) filters.push(`source_uuid = ${param(sourceUuid)}`);
  if (streamUuid !== undefined) filters.push(`stream_uuid = ${param(streamUuid)}`);
  if (streamPatterns !== undefined) filters.push(`stream_uuid LIKE ANY (${param(streamPatterns)}::text[])`);
  const select = (conditions: string[]): string =>
    `SELECT ${SNAPSHOT_COLUMNS} FROM ${tables.snapshots}
     ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY ${ORDER} LIMIT $1`;

  let sql = select(filters);
  if (after !== undefined) {
    const [source, stream, version] = [param(after.sourceUuid), param(after.streamUuid), param(after.version)];
    const parts = [
      [`source_uuid = ${source}`, `stream_uuid = ${stream}`, `version < ${version}`],
      [`source_uuid = ${source}`, `stream_uuid > ${stream}`],
      [`source_uuid > ${source}`],
    ].map((range) => `(${select([...filters, ...range])})`);
    sql = `SELECT * FROM (${parts.join(' UNION ALL ')}) page ORDER BY ${ORDER} LIMIT $1`;
  }
  const { rows } = await db.query<SnapshotRow>(sql, params);
  return { items: rows.slice(0, limit).map((row) => toRecordedSnapshot(row, tables.storeId)), hasMore: rows.length > limit };
}
