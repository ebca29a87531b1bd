import type { StoreTables } from '../tables.js';

/**
 * The event log. `stream_id` uses the "C" collation so that prefix scans and
 * stream ordering are plain byte ranges over the primary key.
 */
export function eventLog(t: StoreTables): string {
  return `
    CREATE TABLE ${t.events} (
      position      bigint PRIMARY KEY,
      event_id      uuid NOT NULL UNIQUE,
      stream_id     text COLLATE "C" NOT NULL,
      version       integer NOT NULL,
      type          text NOT NULL,
      data          jsonb NOT NULL,
      metadata      jsonb NOT NULL,
      content_type  text NOT NULL,
      created       timestamptz NOT NULL DEFAULT now(),
      UNIQUE (stream_id, version)
    );
    CREATE INDEX events_type_position ON ${t.events} (type, position);

    CREATE TABLE ${t.streams} (
      stream_id  text COLLATE "C" PRIMARY KEY,
      version    integer NOT NULL,
      created    timestamptz NOT NULL DEFAULT now(),
      updated    timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE ${t.head} (
      singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      position      bigint NOT NULL,
      stream_count  bigint NOT NULL
    );
    INSERT INTO ${t.head} (position, stream_count) VALUES (0, 0);
  `;
}
