import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { METADATA_COLUMNS, toStreamMetadata, type MetadataRow } from './metadata-row.js';
import type { StreamMetadata } from './types.js';

/** The metadata of each stream asked for, null where none was set; in the order asked. */
export async function readStreamMetadata(db: pg.Pool, tables: StoreTables, streamIds: readonly string[]): Promise<(StreamMetadata | null)[]> {
  const { rows } = await db.query<MetadataRow>(
    `SELECT ${METADATA_COLUMNS} FROM ${tables.streamMetadata} WHERE stream_id = ANY($1::text[])`,
    [streamIds],
  );
  const byId = new Map(rows.map((row) => [row.stream_id, toStreamMetadata(row)]));
  return streamIds.map((id) => byId.get(id) ?? null);
}
