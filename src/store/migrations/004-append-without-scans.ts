import type { StoreTables } from '../tables.js';
import { sqlLiteral } from './sql-literal.js';
import { APPEND_FUNCTION_PARAMETERS, writePlannedBatch } from './append-function-parts.js';

/**
 * Replaces the append function of 001. PL/pgSQL keeps a generic plan per
 * statement for the life of a connection, made from the table's size when the
 * plan was first cached: on a store that was empty then, "is any fresh id
 * already stored?" became a sequential scan of the whole event log on every
 * batch, slower as the log grew. Planning each statement for its own
 * arguments keeps every lookup on its index; the planning costs far less than
 * one such scan. The function's signature and answers are unchanged.
 *
 * Also: the head row needs no row lock (the advisory lock already serializes
 * writers), and an append of generated ids skips the lookup altogether.
 */
export function appendWithoutScans(t: StoreTables): string {
  return `
    CREATE OR REPLACE FUNCTION ${t.appendFunction}(
${APPEND_FUNCTION_PARAMETERS}
    LANGUAGE plpgsql AS $fn$
    DECLARE
      head_position bigint;
      new_streams int;
      stale boolean;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext(${sqlLiteral(t.lockKey)}));
      -- Planned for these arguments on every call (EXECUTE), so each lookup keeps to its index.
      EXECUTE $check$
        SELECT EXISTS (
          SELECT 1 FROM unnest($1::text[], $2::int[]) AS assumed(stream_id, version)
          LEFT JOIN ${t.streams} s ON s.stream_id = assumed.stream_id
          WHERE coalesce(s.version, -1) <> assumed.version
        ) OR (cardinality($3::uuid[]) > 0 AND EXISTS (SELECT 1 FROM ${t.events} WHERE event_id = ANY($3::uuid[])))
      $check$
      INTO stale USING stream_ids, assumed_versions, fresh_ids;
      IF stale THEN
        RETURN;
      END IF;

      SELECT position INTO head_position FROM ${t.head};
${writePlannedBatch(t)}
    END
    $fn$;
  `;
}
