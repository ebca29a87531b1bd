import type pg from 'pg';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-row.js';
import type { StoreTables } from '../tables.js';
import { visibleEvent } from '../retention/visible-sql.js';
import type { Page, RecordedEvent } from '../types.js';

export interface ReadParkedOptions {
  subscription: string;
  /** Exclusive: the position of the last event of the previous page. */
  afterPosition: number;
  limit: number;
}

/** A page of a subscription's parked events in position order; null when there is no such subscription. */
export async function readParked(
  db: pg.Pool,
  tables: StoreTables,
  { subscription, afterPosition, limit }: ReadParkedOptions,
): Promise<Page<RecordedEvent> | null> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ${tables.events} e
     WHERE ${visibleEvent(tables)} AND position IN (
       SELECT position FROM ${tables.parked} WHERE subscription = $1 AND position > $2 ORDER BY position LIMIT $3
     )
     ORDER BY position`,
    [subscription, afterPosition, limit + 1],
  );
  if (rows.length === 0) {
    const { rowCount } = await db.query(`SELECT 1 FROM ${tables.subscriptions} WHERE name = $1`, [subscription]);
    if (rowCount === 0) return null;
  }
  return { items: rows.slice(0, limit).map((row) => toRecordedEvent(row, tables.storeId)), hasMore: rows.length > limit };
}
