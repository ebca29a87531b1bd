import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-row.js';
import type { Direction, Page, RecordedEvent } from '../types.js';

export interface ReadStreamOptions {
  streamId: string;
  direction: Direction;
  /** Inclusive start; absent means the first (forward) or last (backward) event. */
  fromVersion: number | undefined;
  limit: number;
}

/** One page of a stream, a keyset scan over (stream_id, version). */
export async function readStream(
  db: pg.Pool,
  tables: StoreTables,
  { streamId, direction, fromVersion, limit }: ReadStreamOptions,
): Promise<Page<RecordedEvent>> {
  const forward = direction === 'forward';
  const start = fromVersion ?? (forward ? 0 : 2 ** 31 - 1);
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ${tables.events}
     WHERE stream_id = $1 AND version ${forward ? '>=' : '<='} $2
     ORDER BY version ${forward ? 'ASC' : 'DESC'} LIMIT $3`,
    [streamId, start, limit + 1],
  );
  return { items: rows.slice(0, limit).map(toRecordedEvent), hasMore: rows.length > limit };
}
