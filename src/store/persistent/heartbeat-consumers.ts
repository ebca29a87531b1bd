import type pg from 'pg';
import type { StoreTables } from '../tables.js';

/**
 * Marks a gateway's consumers as still connected, and forgets consumers
 * nobody has marked for `forgetAfterMs` (their gateway stopped without
 * saying so).
 */
export async function heartbeatConsumers(db: pg.Pool, tables: StoreTables, gatewayId: string, forgetAfterMs: number): Promise<void> {
  await db.query(
    `WITH refreshed AS (UPDATE ${tables.consumers} SET last_seen = now() WHERE gateway_id = $1)
     DELETE FROM ${tables.consumers} WHERE gateway_id <> $1 AND last_seen < now() - $2::int * interval '1 millisecond'`,
    [gatewayId, forgetAfterMs],
  );
}
