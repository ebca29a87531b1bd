import type pg from 'pg';
import { existingSubscriptions } from './existing-subscriptions.js';
import { notifySql } from './notices.js';
import type { NackAction, SettleOutcome } from './types.js';
import type { StoreTables } from '../tables.js';

export interface NackRequest {
  subscription: string;
  eventId: string;
  /** retry: due for redelivery now; park: moved to the parked events, with `reason`. */
  /** A skip is settled as an ack. */
  action: Exclude<NackAction, 'skip'>;
  reason: string | null;
  /** The key of the consumer nacking; only the consumer holding the event may give it back. */
  ackKey: Buffer | null;
}

interface EndedRow {
  consumer_id: string | null;
  gateway_id: string | null;
}

/**
 * Gives an in-flight event back for redelivery, or parks it, when the
 * consumer holding it asks (its key). The gateway that held it hears of it
 * (and, for a retry, every gateway serving the subscription, since any of
 * them may redeliver it).
 */
export async function nackEvent(db: pg.Pool, tables: StoreTables, gatewayId: string, request: NackRequest): Promise<SettleOutcome> {
  const { subscription, eventId } = request;
  const heldBy = (ackKey: string) =>
    `EXISTS (SELECT 1 FROM ${tables.consumers} c WHERE c.consumer_id = f.consumer_id AND c.ack_key = ${ackKey}::bytea)`;
  const { rows } =
    request.action === 'retry'
      ? await db.query<EndedRow>(
          `WITH held AS (
             SELECT consumer_id, gateway_id FROM ${tables.inFlight} f
             WHERE subscription = $1 AND event_id = $2 AND ${heldBy('$3')}
             FOR UPDATE
           ),
           retried AS (
             UPDATE ${tables.inFlight} f SET consumer_id = NULL, gateway_id = NULL, due = now()
             FROM held WHERE f.subscription = $1 AND f.event_id = $2
             RETURNING held.consumer_id, held.gateway_id
           )
           SELECT consumer_id, gateway_id, ${notifySql(tables, '$1::text', 'gateway_id')} FROM retried`,
          [subscription, eventId, request.ackKey],
        )
      : await db.query<EndedRow>(
          `WITH gone AS (
             DELETE FROM ${tables.inFlight} f WHERE subscription = $1 AND event_id = $2 AND ${heldBy('$5')}
             RETURNING subscription, position, event_id, delivery_count, consumer_id, gateway_id
           ),
           parked AS (
             INSERT INTO ${tables.parked} (subscription, position, event_id, retry_count, reason)
             SELECT subscription, position, event_id, delivery_count - 1, $4 FROM gone
             ON CONFLICT DO NOTHING
           )
           SELECT consumer_id, gateway_id,
             CASE WHEN gateway_id <> $3::uuid THEN ${notifySql(tables, 'subscription', 'gateway_id')} END
           FROM gone`,
          [subscription, eventId, gatewayId, request.reason, request.ackKey],
        );
  const row = rows[0];
  if (row) return { kind: 'settled', lease: { consumerId: row.consumer_id, gatewayId: row.gateway_id } };
  return (await existingSubscriptions(db, tables, [subscription])).has(subscription)
    ? { kind: 'not_in_flight' }
    : { kind: 'subscription_not_found' };
}
