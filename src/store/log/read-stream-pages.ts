import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-row.js';
import type { Page, RecordedEvent } from '../types.js';

export interface StreamPageRequest {
  streamId: string;
  /** Inclusive. */
  fromVersion: number;
  limit: number;
}

/** Forward pages of many streams in one query, each a keyset scan over (stream_id, version); in the order asked. */
export async function readStreamPages(
  db: pg.Pool,
  tables: StoreTables,
  requests: readonly StreamPageRequest[],
): Promise<Page<RecordedEvent>[]> {
  // No ORDER BY over the whole answer: it would sort every payload of the batch before sending the first row.
  const { rows } = await db.query<EventRow & { request: string }>(
    `SELECT r.request, e.*
     FROM unnest($1::text[], $2::int[], $3::int[]) WITH ORDINALITY AS r(stream_id, from_version, page_size, request)
     CROSS JOIN LATERAL (
       SELECT ${EVENT_COLUMNS} FROM ${tables.events}
       WHERE stream_id = r.stream_id AND version >= r.from_version
       ORDER BY version LIMIT r.page_size + 1
     ) e`,
    [requests.map((r) => r.streamId), requests.map((r) => r.fromVersion), requests.map((r) => r.limit)],
  );
  const pages = requests.map(() => [] as EventRow[]);
  for (const row of rows) pages[Number(row.request) - 1]!.push(row);
  return pages.map((page, index) => {
    const { limit } = requests[index]!;
    page.sort((a, b) => a.version - b.version);
    return { items: page.slice(0, limit).map(toRecordedEvent), hasMore: page.length > limit };
  });
}
