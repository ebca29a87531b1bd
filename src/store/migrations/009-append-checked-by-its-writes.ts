import type { StoreTables } from '../tables.js';
import { CONDITION_VARIABLES, conditionPositionsUnderLock, EVENT_PARAMETERS_AND_ANSWERS, insertEventsFromDocuments, lockStore, returnIfStreamsOrIdsMoved } from './append-function-parts.js';
import { sqlLiteral } from './sql-literal.js';

/** The SQLSTATE (serialization_failure) of a batch whose plan no longer held: nothing was written, plan again. */
export const STALE_PLAN_SQLSTATE = '40001';

/**
 * A fourth version of the append function, whose writes check the plan.
 *
 * The third version looks the plan's streams and fresh ids up with a query
 * planned on every call (a plan cached while the tables were small would scan
 * them once they are not), and planning it is a good part of a small batch's
 * time under the store lock. This version asks no planner: the streams upsert
 * moves a stream only from the version and deletion state the plan assumed
 * (its conflict lookup is always the primary key), and a fresh id stored
 * meanwhile breaks the events' unique key. Either way the statement fails,
 * so nothing of the batch is written: a moved stream with STALE_PLAN_SQLSTATE,
 * a stored id with unique_violation on `event_id`.
 *
 * `versions_after` is each stream's version once the batch is written. A
 * stream the batch writes no event to is not upserted, so when the plan holds
 * one, or writes nothing, the third version's lookup checks the plan instead;
 * so it does when the batch has conditions, which must be read from a plan
 * known to hold (a retried append's own stored event matches its condition).
 */
export function appendCheckedByItsWrites(t: StoreTables): string {
  return `
    CREATE FUNCTION ${t.appendFunction}(
      stream_ids text[], assumed_versions int[], assumed_deleted text[], versions_after int[], fresh_ids uuid[],
${EVENT_PARAMETERS_AND_ANSWERS}
    DECLARE
      head_position bigint;
      written_streams int;
      new_streams int;
      moved_streams int;
      assumed_stored_but_absent boolean;
      stale boolean;
${CONDITION_VARIABLES}
    BEGIN
${lockStore(t)}
      SELECT count(*) FILTER (WHERE a.after > a.version), count(*) FILTER (WHERE a.after > a.version AND (a.version = -1 OR a.deleted = 'soft'))
      INTO written_streams, new_streams
      FROM unnest(assumed_versions, assumed_deleted, versions_after) AS a(version, deleted, after);
      IF written_streams < cardinality(stream_ids) OR cardinality(event_ids) = 0 OR jsonb_array_length(conditions) > 0 THEN
${returnIfStreamsOrIdsMoved(t)}
      END IF;

${conditionPositionsUnderLock(t)}
      IF refused OR cardinality(event_ids) = 0 THEN
        RETURN;
      END IF;

      -- A stream the plan took for stored but that is not gets inserted: its row says so ('-infinity').
      WITH moved AS (
        INSERT INTO ${t.streams} AS s (stream_id, version, first_version, deleted, updated)
        SELECT a.stream_id, a.after, a.version + 1, a.deleted,
               CASE WHEN a.version = -1 AND a.deleted IS NULL THEN now() ELSE '-infinity' END
        FROM unnest(stream_ids, assumed_versions, assumed_deleted, versions_after) AS a(stream_id, version, deleted, after)
        WHERE a.after > a.version
        ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, updated = now(), deleted = NULL,
          first_version = CASE WHEN s.deleted IS NULL THEN s.first_version ELSE excluded.first_version END
        WHERE s.version = excluded.first_version - 1 AND s.deleted IS NOT DISTINCT FROM excluded.deleted
        RETURNING s.updated
      )
      SELECT count(*), coalesce(bool_or(moved.updated = '-infinity'), false) INTO moved_streams, assumed_stored_but_absent FROM moved;
      IF moved_streams < written_streams OR assumed_stored_but_absent THEN
        RAISE EXCEPTION 'a stream of the append plan moved, appeared, went or changed its deletion state since it was read'
          USING ERRCODE = ${sqlLiteral(STALE_PLAN_SQLSTATE)};
      END IF;

      SELECT position INTO head_position FROM ${t.head};
${insertEventsFromDocuments(t)}

      UPDATE ${t.head}
      SET position = head_position + cardinality(event_ids), stream_count = stream_count + new_streams,
          event_count = event_count + cardinality(event_ids);
      PERFORM pg_notify(${sqlLiteral(t.channel)}, (head_position + cardinality(event_ids))::text);
      first_position := head_position + 1;
      created_epoch := (extract(epoch FROM now()) * 1000000)::bigint;
    END
    $fn$;
  `;
}
