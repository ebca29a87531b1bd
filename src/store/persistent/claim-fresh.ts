import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import type { RecordedEvent } from '../types.js';

export interface ClaimFreshRequest {
  subscription: string;
  gatewayId: string;
  /** The read cursor the events were read after. */
  from: number;
  /** Where the cursor goes once they are taken. */
  to: number;
  /** New events the subscription selects between the two, in position order. */
  events: readonly RecordedEvent[];
  /** The consumer each event is leased to, in the same order. */
  consumerIds: readonly string[];
  ackTimeoutMs: number;
}

/**
 * Moves a subscription's read cursor over newly read events and leases
 * them, in one statement, only if the cursor is still where the read
 * started: when another gateway moved it first, nothing changes and the
 * answer is false. Never two leases of one new event, without holding a lock
 * between reading the log and claiming.
 */
export async function claimFresh(db: pg.Pool, tables: StoreTables, request: ClaimFreshRequest): Promise<boolean> {
  const { rows } = await db.query<{ moved: number }>(
    // As for due events (claim-due.ts), a lease lost in a crash is delivered again: no need to wait for the flush.
    `WITH moved AS (
       UPDATE ${tables.subscriptions} SET read_position = $3 WHERE name = $1 AND read_position = $2
       RETURNING set_config('synchronous_commit', 'off', true)
     ),
     fresh AS (
       INSERT INTO ${tables.inFlight} (subscription, event_id, position, delivery_count, consumer_id, gateway_id, due)
       SELECT $1, f.event_id, f.position, 1, f.consumer_id, $4, now() + $5::int * interval '1 millisecond'
       FROM unnest($6::uuid[], $7::bigint[], $8::uuid[]) AS f(event_id, position, consumer_id)
       WHERE EXISTS (SELECT 1 FROM moved)
     )
     SELECT count(*)::int AS moved FROM moved`,
    [
      request.subscription,
      request.from,
      request.to,
      request.gatewayId,
      request.ackTimeoutMs,
      request.events.map((event) => event.id),
      request.events.map((event) => event.position),
      request.consumerIds,
    ],
  );
  return rows[0]!.moved === 1;
}
