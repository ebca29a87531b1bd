import type { StoreTables } from '../tables.js';
import { CHECKED_APPEND_VARIABLES, checkWhatTheWritesCannot, CONDITION_VARIABLES, insertEventsFromDocuments, lockStore, moveHeadAndAnswer, moveStreamsAsPlanned, raiseStalePlan } from './append-function-parts.js';

/** The batch's streams, one row `a` each, with what the plan assumed of them and whether they may move on. */
const STREAM_ROWS = 'unnest(stream_ids, assumed_versions, assumed_deleted, versions_after, rebase) AS a(stream_id, version, deleted, after, rebase)';

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
      stream_ids text[], assumed_versions int[], assumed_deleted text[], versions_after int[], rebase boolean[], fresh_ids uuid[],
      event_ids uuid[], event_streams text[], event_versions int[],
      event_types text[], event_data json, event_metadata json, event_content_types text[],
      conditions jsonb,
      OUT first_position bigint, OUT created_epoch bigint, OUT condition_positions bigint[], OUT version_shifts int[])
    LANGUAGE plpgsql AS $fn$
    DECLARE
${CHECKED_APPEND_VARIABLES}
      rebased_streams int := 0;
      rebased_but_absent boolean := false;
      shifted_at int[];
      shifts int[];
      created_elsewhere int;
${CONDITION_VARIABLES}
    BEGIN
${lockStore(t)}
${checkWhatTheWritesCannot(t)}

${moveStreamsAsPlanned(t, STREAM_ROWS, 'a.after > a.version AND NOT coalesce(a.rebase, false)')}

      -- Flagged streams move on from the version they have, if they are live; the excluded row carries how many events the batch adds.
      IF true = ANY (rebase) THEN
        WITH moved AS (
          INSERT INTO ${t.streams} AS s (stream_id, version, first_version, deleted, updated)
          SELECT a.stream_id, a.after, a.version + 1, NULL,
                 CASE WHEN a.version = -1 THEN now() ELSE '-infinity' END
          FROM ${STREAM_ROWS}
          WHERE a.after > a.version AND a.rebase AND a.deleted IS NULL
          ON CONFLICT (stream_id) DO UPDATE SET version = s.version + (excluded.version - excluded.first_version + 1), updated = now()
          WHERE s.deleted IS NULL
          RETURNING s.stream_id, s.version, s.updated
        )
        SELECT count(*), coalesce(bool_or(moved.updated = '-infinity'), false),
               array_agg(a.n::int) FILTER (WHERE moved.version <> a.after),
               array_agg(moved.version - a.after) FILTER (WHERE moved.version <> a.after),
               count(*) FILTER (WHERE moved.version <> a.after AND a.version = -1)
        INTO rebased_streams, rebased_but_absent, shifted_at, shifts, created_elsewhere
        FROM moved JOIN unnest(stream_ids, assumed_versions, versions_after) WITH ORDINALITY AS a(stream_id, version, after, n)
          ON a.stream_id = moved.stream_id;
        new_streams := new_streams - created_elsewhere;
      END IF;

      IF moved_streams + rebased_streams < written_streams OR assumed_stored_but_absent OR rebased_but_absent THEN
${raiseStalePlan()}
      END IF;

      SELECT position INTO head_position FROM ${t.head};
      IF shifts IS NULL THEN
${insertEventsFromDocuments(t)}
      ELSE
        version_shifts := array_fill(0, ARRAY[cardinality(stream_ids)]);
        FOR i IN 1 .. cardinality(shifted_at) LOOP
          version_shifts[shifted_at[i]] := shifts[i];
        END LOOP;
        INSERT INTO ${t.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
        SELECT head_position + e.ordinal, e.id, e.stream_id, e.version + coalesce(moved.shift, 0), e.type, e.data::jsonb, e.metadata::jsonb, e.content_type
        FROM ROWS FROM (
            unnest(event_ids), unnest(event_streams), unnest(event_versions), unnest(event_types),
            json_array_elements(event_data), json_array_elements(event_metadata), unnest(event_content_types)
          ) WITH ORDINALITY AS e(id, stream_id, version, type, data, metadata, content_type, ordinal)
          LEFT JOIN unnest(stream_ids, version_shifts) AS moved(stream_id, shift) ON moved.stream_id = e.stream_id;
      END IF;

${moveHeadAndAnswer(t)}
    END
    $fn$;
  `;
}
