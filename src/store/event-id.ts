import { v7 } from 'uuid';

/**
 * The id of an event the client sent without one: a UUIDv7 (RFC 9562), whose
 * first 48 bits are the time in milliseconds and which this process keeps
 * increasing within a millisecond. Each new id then lands at the right-hand
 * end of the unique index on event ids, and of the persistent leases keyed by
 * them, instead of on a random page of each: less of those indexes is touched
 * and written per append (README, "Benchmarks", has the measurements). Ids
 * from two gateways in the same millisecond still differ in at least 42
 * random bits, and the unique index refuses a duplicate.
 */
export function newEventId(): string {
  return v7();
}
