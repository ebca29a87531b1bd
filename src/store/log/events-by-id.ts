import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-row.js';
import type { RecordedEvent } from '../types.js';
import { visibleEvent } from '../retention/visible-sql.js';

/** The events with the given ids, null where none is stored; in the order asked. */
export async function eventsById(
  db: pg.Pool,
  tables: StoreTables,
  ids: readonly string[],
): Promise<(RecordedEvent | null)[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ${tables.events} e WHERE event_id = ANY($1::uuid[]) AND ${visibleEvent(tables)}`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.event_id, toRecordedEvent(row, tables.storeId)]));
  return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
}
