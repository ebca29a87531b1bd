import type { StoreTables } from '../tables.js';

/**
 * Drops the foreign key from in-flight events to their subscription. It cost
 * a lookup and a lock of the subscription's row for every event leased,
 * though the claim that inserts them has just updated that very row in the
 * same statement. What it guarded is kept by the statements themselves: a
 * claim inserts only through its update of the subscription's row, replaying
 * parked events locks that row first, and removing a subscription deletes
 * its in-flight events itself, after its row, in the same transaction.
 */
export function leasesWithoutKeyChecks(t: StoreTables): string {
  return `ALTER TABLE ${t.inFlight} DROP CONSTRAINT persistent_in_flight_subscription_fkey;`;
}
