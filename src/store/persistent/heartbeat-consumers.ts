import type pg from 'pg';
import type { StoreTables } from '../tables.js';

/**
 * Marks a gateway's consumers as still connected, and forgets consumers
 * nobody has marked for `forgetAfterMs` (their gateway stopped without
 * saying so); answers the ids of the consumers it marked.
 */
export async function heartbeatConsumers(db: pg.Pool, tables: StoreTables, gatewayId: string, forgetAfterMs: number): Promise<string[]> {
  const { rows } = await db.query<{ consumer_id: string }>(
    `WITH refreshed AS (UPDATE ${tables.consumers} SET last_seen = now() WHERE gateway_id = $1 RETURNING consumer_id),
     forgotten AS (DELETE FROM ${tables.consumers} WHERE gateway_id <> $1 AND last_seen < now() - $2::int * interval '1 millisecond')
     SELECT consumer_id FROM refreshed`,
    [gatewayId, forgetAfterMs],
  );
  return rows.map((row) => row.consumer_id);
}
