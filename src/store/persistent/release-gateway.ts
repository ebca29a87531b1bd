import type pg from 'pg';
import { notifySql } from './notices.js';
import type { StoreTables } from '../tables.js';

/**
 * What a gateway does as it stops: forgets its consumers and makes every
 * event they held due for redelivery now, telling the gateways that remain.
 */
export async function releaseGateway(db: pg.Pool, tables: StoreTables, gatewayId: string): Promise<void> {
  await db.query(
    `WITH forgotten AS (DELETE FROM ${tables.consumers} WHERE gateway_id = $1),
     released AS (
       UPDATE ${tables.inFlight} SET consumer_id = NULL, gateway_id = NULL, due = now()
       WHERE gateway_id = $1
       RETURNING subscription
     )
     SELECT ${notifySql(tables, 'subscription')} FROM (SELECT DISTINCT subscription FROM released) AS changed`,
    [gatewayId],
  );
}
