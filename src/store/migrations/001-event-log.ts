import type { StoreTables } from '../tables.js';
import { sqlLiteral } from './sql-literal.js';
import { APPEND_FUNCTION_PARAMETERS, writePlannedBatch } from './append-function-parts.js';

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

    ${appendFunction(t)}
  `;
}

/**
 * Writes a planned batch in one call. Under the store's advisory lock it
 * checks that every touched stream still has the version the plan assumed
 * and that no fresh event id got stored meanwhile; if so it assigns the next
 * positions, moves streams and head, and notifies listeners. Returns the
 * first position and the commit's timestamp, or NULLs when the plan is stale.
 */
function appendFunction(t: StoreTables): string {
  return `
    CREATE FUNCTION ${t.appendFunction}(
${APPEND_FUNCTION_PARAMETERS}
    LANGUAGE plpgsql AS $fn$
    DECLARE
      head_position bigint;
      new_streams int;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext(${sqlLiteral(t.lockKey)}));
      IF EXISTS (
        SELECT 1 FROM unnest(stream_ids, assumed_versions) AS assumed(stream_id, version)
        LEFT JOIN ${t.streams} s ON s.stream_id = assumed.stream_id
        WHERE coalesce(s.version, -1) <> assumed.version
      ) OR EXISTS (SELECT 1 FROM ${t.events} WHERE event_id = ANY(fresh_ids)) THEN
        RETURN;
      END IF;

      SELECT position INTO head_position FROM ${t.head} FOR UPDATE;
${writePlannedBatch(t)}
    END
    $fn$;
  `;
}
