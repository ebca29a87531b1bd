import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import type { Page, StreamSummary } from '../types.js';

export interface ListStreamsOptions {
  prefix: string | undefined;
  /** Exclusive: the last stream id of the previous page. */
  after: string | undefined;
  limit: number;
  /** LIKE patterns of the streams the reader may see (StreamScope.likePatterns); absent: every stream. */
  streamPatterns?: readonly string[];
}

/**
 * Streams in id order (bytewise), optionally under a prefix. The prefix is
 * also written as a key range (prefix up to prefix + the highest code point)
 * so that the scan stays on the primary key and stops at the prefix's end.
 */
export async function listStreams(
  db: pg.Pool,
  tables: StoreTables,
  { prefix, after, limit, streamPatterns }: ListStreamsOptions,
): Promise<Page<StreamSummary>> {
  const params: unknown[] = [limit + 1];
  const conditions: string[] = ['deleted IS NULL'];
  if (prefix !== undefined) {
    params.push(prefix);
    const p = `$${params.length}`;
    conditions.push(`stream_id >= ${p} AND stream_id <= ${p} || chr(1114111) AND starts_with(stream_id, ${p})`);
  }
  if (streamPatterns !== undefined) {
    params.push(streamPatterns);
    conditions.push(`stream_id LIKE ANY ($${params.length}::text[])`);
  }
  if (after !== undefined) {
    params.push(after);
    conditions.push(`stream_id > $${params.length}`);
  }
  const where = `WHERE ${conditions.join(' AND ')}`;
  const { rows } = await db.query<{ stream_id: string; version: number }>(
    `SELECT stream_id, version FROM ${tables.streams} ${where} ORDER BY stream_id LIMIT $1`,
    params,
  );
  return {
    items: rows.slice(0, limit).map((row) => ({ id: row.stream_id, version: row.version })),
    hasMore: rows.length > limit,
  };
}
