import type pg from 'pg';
import { arrayLiteral } from '../array-literal.js';
import { INCARNATION_SQL } from './subscription-row.js';
import type { StoreTables } from '../tables.js';

export interface Heartbeat {
  /** The consumers it marked as still connected. */
  marked: string[];
  /** Of the subscriptions asked about, those that exist: name → incarnation. */
  incarnations: Map<string, string>;
}

/**
 * Marks a gateway's consumers as still connected, forgets consumers nobody
 * has marked for `forgetAfterMs` (their gateway stopped without saying so),
 * and tells which life of each subscription in `served` exists now, in the
 * same snapshot: a consumer it did not mark was forgotten, unless its
 * subscription was removed.
 */
export async function heartbeatConsumers(db: pg.Pool, tables: StoreTables, gatewayId: string, forgetAfterMs: number, served: readonly string[]): Promise<Heartbeat> {
  const { rows } = await db.query<{ consumer_id: string | null; name: string | null; incarnation: string | null }>(
    `WITH refreshed AS (UPDATE ${tables.consumers} SET last_seen = now() WHERE gateway_id = $1 RETURNING consumer_id),
     forgotten AS (DELETE FROM ${tables.consumers} WHERE gateway_id <> $1 AND last_seen < now() - $2::int * interval '1 millisecond')
     SELECT consumer_id, NULL AS name, NULL AS incarnation FROM refreshed
     UNION ALL
     SELECT NULL, name, ${INCARNATION_SQL}::text FROM ${tables.subscriptions} WHERE name = ANY($3::text[])`,
    [gatewayId, forgetAfterMs, arrayLiteral(served)],
  );
  const heartbeat: Heartbeat = { marked: [], incarnations: new Map() };
  for (const row of rows) {
    if (row.consumer_id !== null) heartbeat.marked.push(row.consumer_id);
    else heartbeat.incarnations.set(row.name!, row.incarnation!);
  }
  return heartbeat;
}
