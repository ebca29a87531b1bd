import type pg from 'pg';
import { preparedStatement } from '../prepared.js';
import { visibleEvent } from '../retention/visible-sql.js';
import type { StoreTables } from '../tables.js';
import type { RecordedEvent } from '../types.js';
import { INCARNATION_SQL } from './subscription-row.js';

export interface ClaimFreshRequest {
  subscription: string;
  /** Which life of the name is served (`INCARNATION_SQL`): another one's cursor is not moved. */
  incarnation: string;
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

/** Whether the cursor moved; if so, the ids among the events erased (a deleted stream's) or hidden by retention since they were read, and so not leased. */
export interface ClaimFreshOutcome {
  moved: boolean;
  erased: readonly string[];
}

/**
 * Moves a subscription's read cursor over newly read events and leases
 * them, in one statement, only if the cursor is still where the read
 * started: when another gateway moved it first (or the name is another
 * subscription's now), nothing changes and `moved` is false. Never two leases of one new event, without holding a lock
 * between reading the log and claiming. An event erased or hidden by
 * retention after it was read is passed over.
 */
export async function claimFresh(db: pg.Pool, tables: StoreTables, request: ClaimFreshRequest): Promise<ClaimFreshOutcome> {
  const { rows } = await db.query<{ moved: number; erased: string[] }>(
    preparedStatement(
      // As for due events (claim-due.ts), a lease lost in a crash is delivered again: no need to wait for the flush.
      // Each event is looked for by its position, the primary key, one lookup each (a subquery, where EXISTS was
      // planned as a scan of the log while it was small): a plan that needs no statistics, so it can be prepared
      // once per connection and stay right as the log grows. The ids not leased are worked out only when some were
      // not (an erasure since the read, which is rare).
      `WITH moved AS (
         UPDATE ${tables.subscriptions} SET read_position = $3 WHERE name = $1 AND read_position = $2 AND ${INCARNATION_SQL} = $9
         RETURNING set_config('synchronous_commit', 'off', true)
       ),
       fresh AS (
         INSERT INTO ${tables.inFlight} (subscription, event_id, position, delivery_count, consumer_id, gateway_id, due)
         SELECT $1, f.event_id, f.position, 1, f.consumer_id, $4, now() + $5::int * interval '1 millisecond'
         FROM unnest($6::uuid[], $7::bigint[], $8::uuid[]) AS f(event_id, position, consumer_id)
         WHERE EXISTS (SELECT 1 FROM moved)
           AND (SELECT e.event_id = f.event_id AND ${visibleEvent(tables, 'e')} FROM ${tables.events} e WHERE e.position = f.position)
         RETURNING event_id
       )
       SELECT (SELECT count(*)::int FROM moved) AS moved,
              CASE WHEN (SELECT count(*) FROM fresh) < cardinality($6::uuid[])
                THEN ARRAY(SELECT id::text FROM unnest($6::uuid[]) AS id EXCEPT SELECT event_id::text FROM fresh)
                ELSE '{}'::text[] END AS erased`,
      [
        request.subscription,
        request.from,
        request.to,
        request.gatewayId,
        request.ackTimeoutMs,
        request.events.map((event) => event.id),
        request.events.map((event) => event.position),
        request.consumerIds,
        request.incarnation,
      ],
    ),
  );
  const row = rows[0]!;
  return row.moved === 1 ? { moved: true, erased: row.erased } : { moved: false, erased: [] };
}
