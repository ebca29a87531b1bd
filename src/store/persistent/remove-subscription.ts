import type pg from 'pg';
import { escapeLiteral } from 'pg';
import { notifyRemovedSql } from './notices.js';
import { INCARNATION_SQL } from './subscription-row.js';
import type { StoreTables } from '../tables.js';

/** Removes a subscription with its in-flight and parked events; answers whether there was one. Its consumers hear of it. */
export async function removeSubscription(db: pg.Pool, tables: StoreTables, name: string): Promise<boolean> {
  // Two statements in one query run as one transaction, each with a snapshot of its own. Deleting the row waits for a
  // claim that holds it, and the second statement sees what that claim leased; a later claim finds no row to move.
  // Statements sent together take no parameters, hence the quoted literal.
  const subscription = escapeLiteral(name);
  const results = (await db.query(
    `DELETE FROM ${tables.subscriptions} WHERE name = ${subscription} RETURNING ${notifyRemovedSql(tables, 'name', INCARNATION_SQL)};
     DELETE FROM ${tables.inFlight} WHERE subscription = ${subscription}`,
  )) as unknown as pg.QueryResult[];
  return (results[0]!.rowCount ?? 0) > 0;
}
