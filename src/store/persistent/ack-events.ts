import type pg from 'pg';
import { notifySql } from './notices.js';
import type { SettleOutcome, AckRequest } from './types.js';
import { existingSubscriptions } from './existing-subscriptions.js';
import type { StoreTables } from '../tables.js';

/**
 * Marks many in-flight events done in one statement: it deletes them and
 * says which existed and who held them, and tells each other gateway whose
 * leases it ended. Each ack counts only with the key of the consumer that
 * holds its event; any other is answered `not_in_flight` and changes
 * nothing. An event asked twice in one batch is done once: the first asker
 * gets `acked`. Events that were not in flight are told apart from unknown
 * subscriptions with one more query, only when there are any.
 */
export async function ackEvents(db: pg.Pool, tables: StoreTables, gatewayId: string, requests: readonly AckRequest[]): Promise<SettleOutcome[]> {
  const { rows } = await db.query<{ subscription: string; event_id: string; consumer_id: string | null; gateway_id: string | null }>(
    `WITH acked AS (
       DELETE FROM ${tables.inFlight} f
       USING unnest($1::text[], $2::uuid[], $4::bytea[]) AS a(subscription, event_id, ack_key)
       WHERE f.subscription = a.subscription AND f.event_id = a.event_id
         AND EXISTS (SELECT 1 FROM ${tables.consumers} c WHERE c.consumer_id = f.consumer_id AND c.ack_key = a.ack_key)
       RETURNING f.subscription, f.event_id, f.consumer_id, f.gateway_id
     )
     SELECT subscription, event_id, consumer_id, gateway_id,
       CASE WHEN gateway_id <> $3::uuid THEN ${notifySql(tables, 'subscription', 'gateway_id')} END
     FROM acked`,
    [requests.map((request) => request.subscription), requests.map((request) => request.eventId), gatewayId, requests.map((request) => request.ackKey)],
  );
  const done = new Map(rows.map((row) => [key(row.subscription, row.event_id), row]));
  const outcomes = requests.map((request): SettleOutcome | undefined => {
    const row = done.get(key(request.subscription, request.eventId));
    if (!row) return undefined;
    done.delete(key(request.subscription, request.eventId));
    return { kind: 'settled', lease: { consumerId: row.consumer_id, gatewayId: row.gateway_id } };
  });
  const missed = requests.filter((_, index) => outcomes[index] === undefined).map((request) => request.subscription);
  const existing = missed.length === 0 ? new Set<string>() : await existingSubscriptions(db, tables, missed);
  return outcomes.map(
    (outcome, index) =>
      outcome ?? (existing.has(requests[index]!.subscription) ? { kind: 'not_in_flight' } : { kind: 'subscription_not_found' }),
  );
}

function key(subscription: string, eventId: string): string {
  return `${subscription}\u0000${eventId}`;
}
