import type { StoreTables } from '../tables.js';
import { CHECKED_APPEND_VARIABLES, checkWhatTheWritesCannot, CONDITION_VARIABLES, EVENT_PARAMETERS_AND_ANSWERS, insertEventsFromDocuments, lockStore, moveHeadAndAnswer, moveStreamsAsPlanned, raiseStalePlan } from './append-function-parts.js';

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
${CHECKED_APPEND_VARIABLES}
${CONDITION_VARIABLES}
    BEGIN
${lockStore(t)}
${checkWhatTheWritesCannot(t)}

${moveStreamsAsPlanned(t, 'unnest(stream_ids, assumed_versions, assumed_deleted, versions_after) AS a(stream_id, version, deleted, after)', 'a.after > a.version')}
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
