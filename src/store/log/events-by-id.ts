import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-row.js';
import type { RecordedEvent } from '../types.js';

/** The events with the given ids, null where none is stored; in the order asked. */
export async function eventsById(
  db: pg.Pool,
  tables: StoreTables,
  ids: readonly string[],
): Promise<(RecordedEvent | null)[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ${tables.events} WHERE event_id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.event_id, toRecordedEvent(row, tables.storeId)]));
  return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
}
