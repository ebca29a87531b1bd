import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { EVENT_ROW_TYPES, pageQuery, toPage, type EventRow } from '../event-row.js';
import { keptFromVersion, visibleEvent } from '../retention/visible-sql.js';
import type { Direction, Page, RecordedEvent } from '../types.js';

export interface ReadStreamOptions {
  streamId: string;
  direction: Direction;
  /** Inclusive start; absent means the first (forward) or last (backward) event. */
  fromVersion: number | undefined;
  limit: number;
  /** Stop once the events' payloads reach this many bytes (the first event always comes). Default: no such bound. */
  maxBytes?: number;
}

/** One page of a stream, a keyset scan over (stream_id, version). */
export async function readStream(
  db: pg.Pool,
  tables: StoreTables,
  { streamId, direction, fromVersion, limit, maxBytes }: ReadStreamOptions,
): Promise<Page<RecordedEvent>> {
  const forward = direction === 'forward';
  const start = fromVersion ?? (forward ? 0 : 2 ** 31 - 1);
  const { rows } = await db.query<EventRow>({
    types: EVENT_ROW_TYPES,
    text: pageQuery(
      `FROM ${tables.events} e
       WHERE stream_id = $1 AND version ${forward ? '>=' : '<='} $2 AND version >= ${keptFromVersion(tables, '$1')} AND ${visibleEvent(tables)}`,
      `version ${forward ? 'ASC' : 'DESC'}`,
      '$3',
      maxBytes === undefined ? undefined : '$4',
    ),
    values: maxBytes === undefined ? [streamId, start, limit + 1] : [streamId, start, limit + 1, maxBytes],
  });
  return toPage(rows, limit, tables.storeId, maxBytes);
}
