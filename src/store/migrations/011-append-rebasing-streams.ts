import type { StoreTables } from '../tables.js';
import { CHECKED_APPEND_VARIABLES, checkWhatTheWritesCannot, CONDITION_VARIABLES, insertEventsFromDocuments, lockStore, moveHeadAndAnswer, moveStreamsAsPlanned, raiseStalePlan } from './append-function-parts.js';
import { insertShiftedEvents, moveFlaggedStreamsOn, REBASING_APPEND_PARAMETERS, REBASING_STREAM_ROWS, REBASING_VARIABLES } from './rebasing-append-parts.js';

/**
 * A fifth version of the append function, an overload of the fourth (009)
 * that gateways of the release before keep calling during a rolling upgrade.
 *
 * It takes one more flag per stream, `rebase`: no part of the batch expects
 * anything of that stream's version (every part is `expectedVersion: any`),
 * so its events may go at whatever version it has under the lock. A flagged
 * stream that another gateway moved since the plan read it is moved on from
 * where it is, instead of failing the batch as stale; its events follow it.
 * Two gateways appending to the same streams then keep writing one statement
 * per batch, where a stale plan cost the batch a transaction of several round
 * trips under the store's lock, each waiting for a busy gateway.
 *
 * Only a stream live in the plan and live under the lock is moved on: a stream
 * created, deleted or brought back meanwhile still fails the batch as stale.
 * `version_shifts` tells, per stream, how far its events and version moved
 * from the plan (NULL: none moved), for the gateway's answers and cache.
 */
export function appendRebasingStreams(t: StoreTables): string {
  return `
    CREATE FUNCTION ${t.appendFunction}(
${REBASING_APPEND_PARAMETERS}
    LANGUAGE plpgsql AS $fn$
    DECLARE
${CHECKED_APPEND_VARIABLES}
${REBASING_VARIABLES}
${CONDITION_VARIABLES}
    BEGIN
${lockStore(t)}
${checkWhatTheWritesCannot(t)}

${moveStreamsAsPlanned(t, REBASING_STREAM_ROWS, 'a.after > a.version AND NOT coalesce(a.rebase, false)')}

${moveFlaggedStreamsOn(t)}

      IF moved_streams + rebased_streams < written_streams OR assumed_stored_but_absent OR rebased_but_absent THEN
${raiseStalePlan()}
      END IF;

      SELECT position INTO head_position FROM ${t.head};
      IF shifts IS NULL THEN
${insertEventsFromDocuments(t)}
      ELSE
${insertShiftedEvents(t)}
      END IF;

${moveHeadAndAnswer(t)}
    END
    $fn$;
  `;
}
