import type { RecordedEvent } from '../types.js';

/** What a persistent subscription selects, by the names ExESDB gives its subscription types. */
export type SubscriptionType = 'by_stream' | 'by_event_type' | 'by_event_pattern' | 'by_event_payload';

/** What becomes of a delivery its consumer could not handle: delivered again, set aside, or taken as done. */
export type NackAction = 'retry' | 'park' | 'skip';

/** Most deliveries one consumer may hold unacknowledged: bounds what a gateway keeps per consumer. */
export const MAX_IN_FLIGHT_LIMIT = 10_000;

/** How a persistent subscription delivers. */
export interface SubscriptionSettings {
  /** Redeliveries before an event is parked. */
  maxRetries: number;
  /** How long a consumer has to ack a delivery before it is redelivered. */
  ackTimeoutMs: number;
  /** Most unacknowledged deliveries per consumer. */
  maxInFlight: number;
}

/** What a persistent subscription selects and where it started; fixed once it is created. */
export interface SubscriptionDefinition {
  name: string;
  type: SubscriptionType;
  /** The stream id (or "$all") of by_stream, the event type of by_event_type. */
  selector: string | null;
  /** The JSON object of by_event_pattern and by_event_payload. */
  pattern: Record<string, unknown> | null;
  /** First position (inclusive) as given; null: the end of the log when it was created. */
  startFrom: number | null;
}

export interface StoredSubscription extends SubscriptionDefinition, SubscriptionSettings {
  /** Every selected event at or below this position was taken into delivery (or came before the start). */
  readPosition: number;
  /** Which life of the name this is (`INCARNATION_SQL`): another after the subscription was removed and saved again. */
  incarnation: string;
}

/** A subscription as the management queries show it. */
export interface SubscriptionStatus extends StoredSubscription {
  /** Every selected event at or below this position is done (acked or skipped) or parked. */
  checkpoint: number;
  /** Events delivered and not yet done, or waiting for redelivery. */
  inFlightCount: number;
  parkedCount: number;
  /** Consumers connected on any gateway. */
  consumerCount: number;
}

/** Settings to save; null keeps what an existing subscription has (or takes the default for a new one). */
export type SettingsChange = { [K in keyof SubscriptionSettings]: number | null };

export type SaveOutcome =
  | { ok: true; created: boolean; subscription: StoredSubscription }
  /** A subscription of that name selects something else: what it is, so the caller can name the difference. */
  | { ok: false; reason: 'definition_differs'; existing: StoredSubscription };

/** Who held an event when it stopped being in flight. */
export interface EndedLease {
  consumerId: string | null;
  gatewayId: string | null;
}

/** What became of one ack or nack. */
export type SettleOutcome = { kind: 'settled'; lease: EndedLease } | { kind: 'not_in_flight' } | { kind: 'subscription_not_found' };

export interface AckRequest {
  subscription: string;
  eventId: string;
  /** The key of the consumer acking; only the consumer holding the event may settle it. Null: nobody's, so nothing is settled. */
  ackKey: Buffer | null;
}

/** A delivery a claim handed to one consumer. */
export interface ClaimedDelivery {
  consumerId: string;
  event: RecordedEvent;
  retryCount: number;
}

/** Settings of a subscription saved without them. */
export const DEFAULT_SUBSCRIPTION_SETTINGS: Readonly<SubscriptionSettings> = {
  maxRetries: 10,
  ackTimeoutMs: 30_000,
  maxInFlight: 10,
};
