import type pg from 'pg';
import { notifySql } from './notices.js';
import type { StoreTables } from '../tables.js';

/** Removes a subscription with its in-flight and parked events; answers whether there was one. Its consumers hear of it. */
export async function removeSubscription(db: pg.Pool, tables: StoreTables, name: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM ${tables.subscriptions} WHERE name = $1 RETURNING ${notifySql(tables, 'name')}`,
    [name],
  );
  return (rowCount ?? 0) > 0;
}
