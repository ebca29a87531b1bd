import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { SNAPSHOT_COLUMNS, toRecordedSnapshot, type SnapshotRow } from './snapshot-row.js';
import type { RecordedSnapshot, SnapshotQuery } from './types.js';

/**
 * The snapshots asked for, null where there is none; in the order asked. One
 * statement for any number of keys: for each, the highest version at or
 * below the one asked (any, for the latest) is one step down the primary key,
 * and an exact request keeps it only when it is that version.
 */
export async function readSnapshots(
  db: pg.Pool,
  tables: StoreTables,
  queries: readonly SnapshotQuery[],
): Promise<(RecordedSnapshot | null)[]> {
  const { rows } = await db.query<SnapshotRow & { ordinal: string }>(
    `SELECT asked.ordinal, found.*
     FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS asked(source_uuid, stream_uuid, version, ordinal)
     CROSS JOIN LATERAL (
       SELECT ${SNAPSHOT_COLUMNS} FROM ${tables.snapshots} s
       WHERE s.source_uuid = asked.source_uuid AND s.stream_uuid = asked.stream_uuid
         AND s.version <= coalesce(asked.version, 2147483647)
       ORDER BY s.version DESC LIMIT 1
     ) found
     WHERE asked.version IS NULL OR found.version = asked.version`,
    [queries.map((query) => query.sourceUuid), queries.map((query) => query.streamUuid), queries.map((query) => query.version)],
  );
  const found: (RecordedSnapshot | null)[] = queries.map(() => null);
  for (const row of rows) found[Number(row.ordinal) - 1] = toRecordedSnapshot(row, tables.storeId);
  return found;
}
