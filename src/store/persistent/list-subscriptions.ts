import type pg from 'pg';
import type { SubscriptionStatus } from './types.js';
import { SUBSCRIPTION_COLUMNS, toStoredSubscription, type SubscriptionRow } from './subscription-row.js';
import type { StoreTables } from '../tables.js';

export interface ListSubscriptionsOptions {
  /** Only the subscription of this name. */
  name?: string;
  /** A consumer whose gateway has not refreshed it for this long is not counted (its gateway is gone). */
  consumerStaleMs: number;
}

interface StatusRow extends SubscriptionRow {
  checkpoint: string;
  in_flight_count: number;
  parked_count: number;
  consumer_count: number;
}

/** Subscriptions in name order with their checkpoint and counts. */
export async function listSubscriptions(
  db: pg.Pool,
  tables: StoreTables,
  { name, consumerStaleMs }: ListSubscriptionsOptions,
): Promise<SubscriptionStatus[]> {
  const { rows } = await db.query<StatusRow>(
    `SELECT ${SUBSCRIPTION_COLUMNS},
       coalesce((SELECT min(f.position) - 1 FROM ${tables.inFlight} f WHERE f.subscription = s.name), s.read_position) AS checkpoint,
       (SELECT count(*)::int FROM ${tables.inFlight} f WHERE f.subscription = s.name) AS in_flight_count,
       (SELECT count(*)::int FROM ${tables.parked} p WHERE p.subscription = s.name) AS parked_count,
       (SELECT count(*)::int FROM ${tables.consumers} c
        WHERE c.subscription = s.name AND c.last_seen > now() - $2::int * interval '1 millisecond') AS consumer_count
     FROM ${tables.subscriptions} s
     WHERE $1::text IS NULL OR s.name = $1
     ORDER BY s.name`,
    [name ?? null, consumerStaleMs],
  );
  return rows.map((row) => ({
    ...toStoredSubscription(row),
    checkpoint: Number(row.checkpoint),
    inFlightCount: row.in_flight_count,
    parkedCount: row.parked_count,
    consumerCount: row.consumer_count,
  }));
}
