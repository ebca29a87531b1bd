import type pg from 'pg';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-row.js';
import type { ClaimedDelivery, SubscriptionSettings } from './types.js';
import type { StoreTables } from '../tables.js';
import { visibleEvent } from '../retention/visible-sql.js';
import { INCARNATION_SQL } from './subscription-row.js';

export interface ClaimDueRequest {
  subscription: string;
  /** Which life of the name is served (`INCARNATION_SQL`): another one is no such subscription. */
  incarnation: string;
  gatewayId: string;
  /** One consumer id per delivery wanted, in the order deliveries go out. */
  slots: readonly string[];
}

export interface DueClaim {
  settings: SubscriptionSettings;
  /** The subscription's read cursor as it is now. */
  readPosition: number;
  /** In position order, each leased to its slot's consumer. */
  deliveries: ClaimedDelivery[];
}

interface DueRow extends Partial<EventRow> {
  max_retries: number;
  ack_timeout_ms: number;
  max_in_flight: number;
  read_position: string;
  retry_count: number | null;
  consumer_id: string | null;
}

/**
 * Leases the in-flight events that are due (lease run out, nacked, handed
 * back, replayed) to the slots, lowest position first, parks those whose
 * retries ran out, and drops those whose events are gone; in one statement. SKIP LOCKED lets the gateways serving a
 * subscription claim side by side without waiting on each other. Also
 * answers the subscription's settings and read cursor; null when there is no
 * such subscription, or it is another life of the name.
 */
export async function claimDue(db: pg.Pool, tables: StoreTables, request: ClaimDueRequest): Promise<DueClaim | null> {
  const { rows } = await db.query<DueRow>(
    // A lease lost in a crash only means its event is delivered again, and an ack's commit flushes the lease
    // before it (the log is flushed in order): a claim need not wait for its own flush.
    `WITH subscription AS (
       SELECT max_retries, ack_timeout_ms, max_in_flight, read_position, set_config('synchronous_commit', 'off', true) AS flush
       FROM ${tables.subscriptions} WHERE name = $1 AND ${INCARNATION_SQL} = $5
     ),
     -- A lease taken as its event was being erased outlives the erasure, which did not see it: dropped once due.
     orphans AS (
       SELECT f.event_id FROM ${tables.inFlight} f, subscription s
       WHERE f.subscription = $1 AND f.due <= now() AND NOT EXISTS (SELECT 1 FROM ${tables.events} e WHERE e.event_id = f.event_id)
       FOR UPDATE OF f SKIP LOCKED
     ),
     dropped AS (
       DELETE FROM ${tables.inFlight} f USING orphans o WHERE f.subscription = $1 AND f.event_id = o.event_id
     ),
     exhausted AS (
       SELECT f.event_id FROM ${tables.inFlight} f, subscription s
       WHERE f.subscription = $1 AND f.due <= now() AND f.delivery_count > s.max_retries
         AND EXISTS (SELECT 1 FROM ${tables.events} e WHERE e.event_id = f.event_id)
       FOR UPDATE OF f SKIP LOCKED
     ),
     unparked AS (
       DELETE FROM ${tables.inFlight} f USING exhausted x
       WHERE f.subscription = $1 AND f.event_id = x.event_id
       RETURNING f.event_id, f.position, f.delivery_count
     ),
     parked AS (
       INSERT INTO ${tables.parked} (subscription, position, event_id, retry_count, reason)
       SELECT $1, position, event_id, delivery_count - 1, 'not acked after ' || delivery_count || ' deliveries' FROM unparked
       ON CONFLICT DO NOTHING
     ),
     due AS (
       SELECT f.event_id, f.position FROM ${tables.inFlight} f, subscription s
       WHERE f.subscription = $1 AND f.due <= now() AND f.delivery_count <= s.max_retries
         AND EXISTS (SELECT 1 FROM ${tables.events} e WHERE e.event_id = f.event_id AND ${visibleEvent(tables)})
       ORDER BY f.position LIMIT $2
       FOR UPDATE OF f SKIP LOCKED
     ),
     slotted AS (
       SELECT due.event_id, slot.consumer_id
       FROM (SELECT event_id, row_number() OVER (ORDER BY position) AS ordinal FROM due) due
       JOIN unnest($3::uuid[]) WITH ORDINALITY AS slot(consumer_id, ordinal) USING (ordinal)
     ),
     leased AS (
       UPDATE ${tables.inFlight} f
       SET delivery_count = f.delivery_count + 1, consumer_id = slotted.consumer_id, gateway_id = $4,
           due = now() + s.ack_timeout_ms * interval '1 millisecond'
       FROM slotted, subscription s
       WHERE f.subscription = $1 AND f.event_id = slotted.event_id
       RETURNING f.event_id AS leased_id, f.delivery_count - 1 AS retry_count, f.consumer_id
     )
     SELECT s.max_retries, s.ack_timeout_ms, s.max_in_flight, s.read_position, l.retry_count, l.consumer_id, ${EVENT_COLUMNS}
     FROM subscription s
     LEFT JOIN (leased l JOIN ${tables.events} ON event_id = l.leased_id) ON true
     ORDER BY position`,
    [request.subscription, request.slots.length, request.slots, request.gatewayId, request.incarnation],
  );
  const first = rows[0];
  if (!first) return null;
  return {
    settings: { maxRetries: first.max_retries, ackTimeoutMs: first.ack_timeout_ms, maxInFlight: first.max_in_flight },
    readPosition: Number(first.read_position),
    deliveries: rows
      .filter((row) => row.consumer_id !== null)
      .map((row) => ({ consumerId: row.consumer_id!, event: toRecordedEvent(row as EventRow, tables.storeId), retryCount: row.retry_count! })),
  };
}
