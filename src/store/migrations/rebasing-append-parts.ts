import type { StoreTables } from '../tables.js';

/*
 * Pieces of the append functions that move streams on (011 on). Released
 * migrations are made from them, so their text must not change.
 */

/** The parameters and answers of the versions from 011 on, up to the language. */
export const REBASING_APPEND_PARAMETERS = `      stream_ids text[], assumed_versions int[], assumed_deleted text[], versions_after int[], rebase boolean[], fresh_ids uuid[],
      event_ids uuid[], event_streams text[], event_versions int[],
      event_types text[], event_data json, event_metadata json, event_content_types text[],
      conditions jsonb,
      OUT first_position bigint, OUT created_epoch bigint, OUT condition_positions bigint[], OUT version_shifts int[])`;

/** The batch's streams, one row `a` each, with what the plan assumed of them and whether they may move on. */
export const REBASING_STREAM_ROWS = 'unnest(stream_ids, assumed_versions, assumed_deleted, versions_after, rebase) AS a(stream_id, version, deleted, after, rebase)';

/** The variables `moveFlaggedStreamsOn` and `insertShiftedEvents` use. */
export const REBASING_VARIABLES = `      rebased_streams int := 0;
      rebased_but_absent boolean := false;
      shifted_at int[];
      shifts int[];
      created_elsewhere int;`;

/**
 * Moves the flagged streams on from the version they have, if they are live, and sets where the
 * batch's streams went from the plan (`shifted_at`, `shifts`) and the streams created elsewhere.
 */
export function moveFlaggedStreamsOn(t: StoreTables): string {
  return `      -- Flagged streams move on from the version they have, if they are live; the excluded row carries how many events the batch adds.
      IF true = ANY (rebase) THEN
        WITH moved AS (
          INSERT INTO ${t.streams} AS s (stream_id, version, first_version, deleted, updated)
          SELECT a.stream_id, a.after, a.version + 1, NULL,
                 CASE WHEN a.version = -1 THEN now() ELSE '-infinity' END
          FROM ${REBASING_STREAM_ROWS}
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
      END IF;`;
}

/** With `head_position` read under the lock and streams moved on: the batch's events, each moved as far as its stream was. */
export function insertShiftedEvents(t: StoreTables): string {
  return `        version_shifts := array_fill(0, ARRAY[cardinality(stream_ids)]);
        FOR i IN 1 .. cardinality(shifted_at) LOOP
          version_shifts[shifted_at[i]] := shifts[i];
        END LOOP;
        INSERT INTO ${t.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
        SELECT head_position + e.ordinal, e.id, e.stream_id, e.version + coalesce(moved.shift, 0), e.type, e.data::jsonb, e.metadata::jsonb, e.content_type
        FROM ROWS FROM (
            unnest(event_ids), unnest(event_streams), unnest(event_versions), unnest(event_types),
            json_array_elements(event_data), json_array_elements(event_metadata), unnest(event_content_types)
          ) WITH ORDINALITY AS e(id, stream_id, version, type, data, metadata, content_type, ordinal)
          LEFT JOIN unnest(stream_ids, version_shifts) AS moved(stream_id, shift) ON moved.stream_id = e.stream_id;`;
}
