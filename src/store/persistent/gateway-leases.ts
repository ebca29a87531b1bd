import type pg from 'pg';
import type { StoreTables } from '../tables.js';

/** An event a consumer of this gateway holds, and how long its lease has left. */
export interface HeldLease {
  consumerId: string;
  eventId: string;
  remainingMs: number;
}

/** The unexpired leases a gateway's consumers hold on a subscription, as the database has them. */
export async function gatewayLeases(db: pg.Pool, tables: StoreTables, subscription: string, gatewayId: string): Promise<HeldLease[]> {
  const { rows } = await db.query<{ consumer_id: string; event_id: string; remaining_ms: number }>(
    `SELECT consumer_id, event_id, ceil(extract(epoch FROM due - now()) * 1000)::int AS remaining_ms
     FROM ${tables.inFlight}
     WHERE subscription = $1 AND gateway_id = $2 AND consumer_id IS NOT NULL AND due > now()`,
    [subscription, gatewayId],
  );
  return rows.map((row) => ({ consumerId: row.consumer_id, eventId: row.event_id, remainingMs: row.remaining_ms }));
}
