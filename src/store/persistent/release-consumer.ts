import type pg from 'pg';
import { notifySql } from './notices.js';
import type { StoreTables } from '../tables.js';

/**
 * Forgets a consumer that went away and makes every event it held due for
 * redelivery now, in one statement; every gateway serving the subscription
 * hears of it. Answers how many events it held.
 */
export async function releaseConsumer(db: pg.Pool, tables: StoreTables, subscription: string, consumerId: string): Promise<number> {
  const { rows } = await db.query<{ released: number }>(
    `WITH forgotten AS (DELETE FROM ${tables.consumers} WHERE consumer_id = $2),
     released AS (
       UPDATE ${tables.inFlight} SET consumer_id = NULL, gateway_id = NULL, due = now()
       WHERE subscription = $1 AND consumer_id = $2
       RETURNING 1
     )
     SELECT count(*)::int AS released, CASE WHEN count(*) > 0 THEN ${notifySql(tables, '$1::text')} END FROM released`,
    [subscription, consumerId],
  );
  return rows[0]?.released ?? 0;
}
