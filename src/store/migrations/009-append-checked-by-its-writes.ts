import type { StoreTables } from '../tables.js';
import { checkWhatTheWritesCannot, CONDITION_VARIABLES, EVENT_PARAMETERS_AND_ANSWERS, insertEventsFromDocuments, lockStore, moveHeadAndAnswer, raiseStalePlan } from './append-function-parts.js';

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
${checkWhatTheWritesCannot(t)}

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
${raiseStalePlan()}
      END IF;

      SELECT position INTO head_position FROM ${t.head};
${insertEventsFromDocuments(t)}

${moveHeadAndAnswer(t)}
    END
    $fn$;
  `;
}
