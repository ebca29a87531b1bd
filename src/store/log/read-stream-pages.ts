import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { EVENT_COLUMNS, EVENT_ROW_TYPES, pageQuery, toPage, type EventRow } from '../event-row.js';
import type { Page, RecordedEvent } from '../types.js';
import { keptFromVersion, visibleEvent } from '../retention/visible-sql.js';

export interface StreamPageRequest {
  streamId: string;
  /** Inclusive. */
  fromVersion: number;
  limit: number;
  /** Stop once the page's payloads reach this many bytes (the first event always comes). Default: no such bound. */
  maxBytes?: number;
}

/** Forward pages of many streams in one query, each a keyset scan over (stream_id, version); in the order asked. */
export async function readStreamPages(
  db: pg.Pool,
  tables: StoreTables,
  requests: readonly StreamPageRequest[],
): Promise<Page<RecordedEvent>[]> {
  const sized = requests.some((r) => r.maxBytes !== undefined);
  const visible = `version >= ${keptFromVersion(tables, 'r.stream_id')} AND ${visibleEvent(tables)}`;
  const page = sized
    ? pageQuery(`FROM ${tables.events} e WHERE stream_id = r.stream_id AND version >= r.from_version AND ${visible}`, 'version', 'r.page_size + 1', 'r.max_bytes')
    : `SELECT ${EVENT_COLUMNS} FROM ${tables.events} e
       WHERE stream_id = r.stream_id AND version >= r.from_version AND ${visible}
       ORDER BY version LIMIT r.page_size + 1`;
  // No ORDER BY over the whole answer: it would sort every payload of the batch before sending the first row.
  const { rows } = await db.query<EventRow & { request: string }>({
    types: EVENT_ROW_TYPES,
    text: `SELECT r.request, e.*
     FROM unnest($1::text[], $2::int[], $3::int[], $4::bigint[]) WITH ORDINALITY AS r(stream_id, from_version, page_size, max_bytes, request)
     CROSS JOIN LATERAL (${page}) e`,
    values: [
      requests.map((r) => r.streamId),
      requests.map((r) => r.fromVersion),
      requests.map((r) => r.limit),
      requests.map((r) => r.maxBytes ?? Number.MAX_SAFE_INTEGER),
    ],
  });
  const pages = requests.map(() => [] as EventRow[]);
  for (const row of rows) pages[Number(row.request) - 1]!.push(row);
  return pages.map((page, index) => {
    const { limit, maxBytes } = requests[index]!;
    page.sort((a, b) => a.version - b.version);
    return toPage(page, limit, tables.storeId, maxBytes);
  });
}
