import type { StoreTables } from '../tables.js';
import {
  CHECKED_APPEND_VARIABLES,
  conditionPositionsUnderLock,
  CONDITION_VARIABLES,
  insertEventsFromDocuments,
  lockStore,
  moveStreamsAsPlanned,
  raiseStalePlan,
  returnIfStreamsOrIdsMoved,
} from './append-function-parts.js';
import { sqlLiteral } from './sql-literal.js';
import { insertShiftedEvents, moveFlaggedStreamsOn, REBASING_APPEND_PARAMETERS, REBASING_STREAM_ROWS, REBASING_VARIABLES } from './rebasing-append-parts.js';

/**
 * The fifth version of the append function (011) again, with the same
 * parameters and answers (gateways of the release before call this body
 * too), costing PostgreSQL less time under the store's lock per batch.
 *
 * Its statements are planned once per connection. PostgreSQL planned each
 * of 011's again on every call: a plan for the batch's arrays as given looks
 * cheaper than one for arrays of any length, so the plan cache never settles
 * on the generic plan. None of these statements reads a table but through a
 * key (a conflict on the primary key, the one-row head), so the generic plan
 * is the right one at any size; the lookups that do depend on the tables'
 * size are EXECUTEd, and those are planned on every call still.
 *
 * And it runs fewer statements, each of which pays for starting and ending
 * an executor: it skips the conditions' loop when there are none, and the
 * upsert of streams that may not move on when every stream may; and it
 * moves the head in the statement that reads it.
 */
export function appendInFewerStatements(t: StoreTables): string {
  return appendFunctionOfFewerStatements(t, conditionPositionsUnderLock(t));
}

/** The body of 012's version, with `conditionPositions` setting the conditions' answers (`conditionPositionsUnderLock`). */
export function appendFunctionOfFewerStatements(t: StoreTables, conditionPositions: string): string {
  return `
    CREATE OR REPLACE FUNCTION ${t.appendFunction}(
${REBASING_APPEND_PARAMETERS}
    LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $fn$
    DECLARE
${CHECKED_APPEND_VARIABLES}
      plain_streams int;
${REBASING_VARIABLES}
${CONDITION_VARIABLES}
    BEGIN
${lockStore(t)}
      SELECT count(*) FILTER (WHERE a.after > a.version),
             count(*) FILTER (WHERE a.after > a.version AND (a.version = -1 OR a.deleted = 'soft')),
             count(*) FILTER (WHERE a.after > a.version AND NOT coalesce(a.rebase, false))
      INTO written_streams, new_streams, plain_streams
      FROM ${REBASING_STREAM_ROWS};
      IF written_streams < cardinality(stream_ids) OR cardinality(event_ids) = 0 OR jsonb_array_length(conditions) > 0 THEN
${returnIfStreamsOrIdsMoved(t)}
      END IF;

      IF jsonb_array_length(conditions) > 0 THEN
${conditionPositions}
      ELSE
        condition_positions := ARRAY[]::bigint[];
      END IF;
      IF refused OR cardinality(event_ids) = 0 THEN
        RETURN;
      END IF;

      moved_streams := 0;
      assumed_stored_but_absent := false;
      IF plain_streams > 0 THEN
${moveStreamsAsPlanned(t, REBASING_STREAM_ROWS, 'a.after > a.version AND NOT coalesce(a.rebase, false)')}
      END IF;

${moveFlaggedStreamsOn(t)}

      IF moved_streams + rebased_streams < written_streams OR assumed_stored_but_absent OR rebased_but_absent THEN
${raiseStalePlan()}
      END IF;

      UPDATE ${t.head}
      SET position = position + cardinality(event_ids), stream_count = stream_count + new_streams,
          event_count = event_count + cardinality(event_ids)
      RETURNING position - cardinality(event_ids) INTO head_position;
      IF shifts IS NULL THEN
${insertEventsFromDocuments(t)}
      ELSE
${insertShiftedEvents(t)}
      END IF;
      PERFORM pg_notify(${sqlLiteral(t.channel)}, (head_position + cardinality(event_ids))::text);
      first_position := head_position + 1;
      created_epoch := (extract(epoch FROM now()) * 1000000)::bigint;
    END
    $fn$;
  `;
}
