import type { StoreTables } from '../tables.js';

/**
 * Persistent subscriptions. A subscription row holds its settings and its
 * read cursor (`read_position`: every selected event at or below it has been
 * taken into `persistent_in_flight`, or came before the start). An in-flight
 * row is an event delivered and not yet done, or due for (re)delivery: while
 * `consumer_id` is set and `due` is ahead, it is leased to that consumer;
 * otherwise any gateway may claim it. Done events are deleted, so the
 * checkpoint is always the lowest in-flight position minus one (the read
 * cursor when none is in flight) and needs no write of its own.
 * `persistent_consumers` counts consumers across gateways; each gateway
 * refreshes `last_seen` of its own.
 */
export function persistentSubscriptions(t: StoreTables): string {
  return `
    CREATE TABLE ${t.subscriptions} (
      name            text COLLATE "C" PRIMARY KEY,
      type            text NOT NULL CHECK (type IN ('by_stream', 'by_event_type', 'by_event_pattern', 'by_event_payload')),
      selector        text,
      pattern         jsonb,
      start_from      bigint,
      max_retries     integer NOT NULL CHECK (max_retries >= 0),
      ack_timeout_ms  integer NOT NULL CHECK (ack_timeout_ms > 0),
      max_in_flight   integer NOT NULL CHECK (max_in_flight > 0),
      read_position   bigint NOT NULL,
      created         timestamptz NOT NULL DEFAULT now(),
      updated         timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE ${t.inFlight} (
      subscription    text COLLATE "C" NOT NULL REFERENCES ${t.subscriptions} (name) ON DELETE CASCADE,
      event_id        uuid NOT NULL,
      position        bigint NOT NULL,
      delivery_count  integer NOT NULL,
      consumer_id     uuid,
      gateway_id      uuid,
      due             timestamptz NOT NULL,
      PRIMARY KEY (subscription, event_id)
    );
    CREATE INDEX persistent_in_flight_by_position ON ${t.inFlight} (subscription, position);

    CREATE TABLE ${t.parked} (
      subscription  text COLLATE "C" NOT NULL REFERENCES ${t.subscriptions} (name) ON DELETE CASCADE,
      position      bigint NOT NULL,
      event_id      uuid NOT NULL,
      retry_count   integer NOT NULL,
      reason        text,
      parked        timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (subscription, position)
    );

    CREATE TABLE ${t.consumers} (
      consumer_id   uuid PRIMARY KEY,
      subscription  text COLLATE "C" NOT NULL REFERENCES ${t.subscriptions} (name) ON DELETE CASCADE,
      gateway_id    uuid NOT NULL,
      connected     timestamptz NOT NULL DEFAULT now(),
      last_seen     timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX persistent_consumers_by_subscription ON ${t.consumers} (subscription);
    CREATE INDEX persistent_consumers_by_gateway ON ${t.consumers} (gateway_id);
  `;
}
