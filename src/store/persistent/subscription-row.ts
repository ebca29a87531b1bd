import type { StoredSubscription, SubscriptionType } from './types.js';

/**
 * Which life of a subscription's name a row is: when it was created, in
 * microseconds. A subscription removed and saved again under the same name
 * is another one, and what served the first must not serve it.
 */
export const INCARNATION_SQL = '(extract(epoch from created) * 1000000)::bigint';

/** The columns every subscription read selects, in the shape `toStoredSubscription` maps. */
export const SUBSCRIPTION_COLUMNS =
  `name, type, selector, pattern, start_from, max_retries, ack_timeout_ms, max_in_flight, read_position, ${INCARNATION_SQL} AS incarnation`;

export interface SubscriptionRow {
  name: string;
  type: SubscriptionType;
  selector: string | null;
  pattern: Record<string, unknown> | null;
  start_from: string | number | null;
  max_retries: number;
  ack_timeout_ms: number;
  max_in_flight: number;
  read_position: string | number;
  incarnation: string;
}

export function toStoredSubscription(row: SubscriptionRow): StoredSubscription {
  return {
    name: row.name,
    type: row.type,
    selector: row.selector,
    pattern: row.pattern,
    startFrom: row.start_from === null ? null : Number(row.start_from),
    maxRetries: row.max_retries,
    ackTimeoutMs: row.ack_timeout_ms,
    maxInFlight: row.max_in_flight,
    readPosition: Number(row.read_position),
    incarnation: row.incarnation,
  };
}
