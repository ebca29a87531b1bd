import { visibleEvent } from '../retention/visible-sql.js';
import type { StoreTables } from '../tables.js';
import { sqlLiteral } from './sql-literal.js';

/*
 * Pieces of the append function that its versions share. Released migrations
 * are made from them, so their text must not change; a version that differs
 * gets a piece of its own.
 */

/**
 * The parameters and answers of the versions of 001 and 004, which take
 * payloads as jsonb[]. Both declare the same list, so CREATE OR REPLACE
 * replaces the function instead of adding an overload.
 */
export const APPEND_FUNCTION_PARAMETERS = `      stream_ids text[], assumed_versions int[], fresh_ids uuid[],
      event_ids uuid[], event_streams text[], event_versions int[],
      event_types text[], event_data jsonb[], event_metadata jsonb[], event_content_types text[],
      OUT first_position bigint, OUT created_epoch bigint)`;

/**
 * Takes the store's advisory lock and returns early (NULL answers) when the
 * plan is stale: a touched stream no longer has the version the plan assumed,
 * or a fresh event id got stored meanwhile. Each lookup is planned for its
 * own arguments (EXECUTE): a cached generic plan, made while the tables were
 * small, scans the whole event log.
 */
function lockAndCheckAssumptions(t: StoreTables): string {
  return `${lockStore(t)}
      -- Planned for these arguments on every call (EXECUTE), so each lookup keeps to its index.
${returnIfStale(t)}`;
}

/** Takes the store's advisory lock, which every write to the store holds until its commit. */
export function lockStore(t: StoreTables): string {
  return `      PERFORM pg_advisory_xact_lock(hashtext(${sqlLiteral(t.lockKey)}));`;
}

/** Returns early (NULL answers) when a touched stream no longer has the version the plan assumed, or a fresh event id got stored meanwhile. */
export function returnIfStale(t: StoreTables): string {
  return `      EXECUTE $check$
        SELECT EXISTS (
          SELECT 1 FROM unnest($1::text[], $2::int[]) AS assumed(stream_id, version)
          LEFT JOIN ${t.streams} s ON s.stream_id = assumed.stream_id
          WHERE coalesce(s.version, -1) <> assumed.version
        ) OR (cardinality($3::uuid[]) > 0 AND EXISTS (SELECT 1 FROM ${t.events} WHERE event_id = ANY($3::uuid[])))
      $check$
      INTO stale USING stream_ids, assumed_versions, fresh_ids;
      IF stale THEN
        RETURN;
      END IF;`;
}

/** With `head_position` read under the lock: the batch's events, from one jsonb[] per payload column, at the next positions. */
export function insertEventsFromArrays(t: StoreTables): string {
  return `      INSERT INTO ${t.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
      SELECT head_position + e.ordinal, e.id, e.stream_id, e.version, e.type, e.data, e.metadata, e.content_type
      FROM unnest(event_ids, event_streams, event_versions, event_types, event_data, event_metadata, event_content_types)
        WITH ORDINALITY AS e(id, stream_id, version, type, data, metadata, content_type, ordinal);`;
}

/** With `head_position` read under the lock: the batch's events, from one json array per payload column, at the next positions. */
export function insertEventsFromDocuments(t: StoreTables): string {
  return `      INSERT INTO ${t.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
      SELECT head_position + e.ordinal, e.id, e.stream_id, e.version, e.type, e.data::jsonb, e.metadata::jsonb, e.content_type
      FROM ROWS FROM (
          unnest(event_ids), unnest(event_streams), unnest(event_versions), unnest(event_types),
          json_array_elements(event_data), json_array_elements(event_metadata), unnest(event_content_types)
        ) WITH ORDINALITY AS e(id, stream_id, version, type, data, metadata, content_type, ordinal);`;
}

/**
 * After the events are inserted: moves the streams and the head, notifies
 * listeners, and sets the function's answers.
 */
function moveStreamsAndHead(t: StoreTables): string {
  return `      SELECT count(*) INTO new_streams FROM unnest(assumed_versions) AS v WHERE v = -1;
      INSERT INTO ${t.streams} (stream_id, version)
      SELECT e.stream_id, max(e.version) FROM unnest(event_streams, event_versions) AS e(stream_id, version)
      GROUP BY e.stream_id
      ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, updated = now();

      UPDATE ${t.head}
      SET position = head_position + cardinality(event_ids), stream_count = stream_count + new_streams;
      PERFORM pg_notify(${sqlLiteral(t.channel)}, (head_position + cardinality(event_ids))::text);

      first_position := head_position + 1;
      created_epoch := (extract(epoch FROM now()) * 1000000)::bigint;`;
}

/** The write step of the versions of 001 and 004. */
export function writePlannedBatch(t: StoreTables): string {
  return `${insertEventsFromArrays(t)}\n\n${moveStreamsAndHead(t)}`;
}

/**
 * The body of the versions from 004 on, around their way of inserting the
 * events: lock, check the plan, read the head, insert, move streams and head.
 */
export function plannedAppendBody(t: StoreTables, insertEvents: string): string {
  return `    LANGUAGE plpgsql AS $fn$
    DECLARE
      head_position bigint;
      new_streams int;
      stale boolean;
    BEGIN
${lockAndCheckAssumptions(t)}

      SELECT position INTO head_position FROM ${t.head};
${insertEvents}

${moveStreamsAndHead(t)}
    END
    $fn$;`;
}

/** The parameters after the plan's streams and fresh ids, the answers and the language, of the versions from 007 on. */
export const EVENT_PARAMETERS_AND_ANSWERS = `      event_ids uuid[], event_streams text[], event_versions int[],
      event_types text[], event_data json, event_metadata json, event_content_types text[],
      conditions jsonb,
      OUT first_position bigint, OUT created_epoch bigint, OUT condition_positions bigint[])
    LANGUAGE plpgsql AS $fn$`;

/** The variables `conditionPositionsUnderLock` uses, besides the function's answers. */
export const CONDITION_VARIABLES = `      refused boolean := false;
      c jsonb;
      q text;
      found_position bigint;`;

/**
 * Sets `condition_positions`, one per condition of the batch: the first stored
 * event after the condition's position that it matches, among the streams its
 * caller may see; sets `refused` when a required one matched. Read under the
 * store lock, so nothing can be appended between the check and the write.
 * `visibleOnly` (from 013 on) leaves out what retention hides, as every read
 * does, whether or not the background pass has erased it yet.
 */
export function conditionPositionsUnderLock(t: StoreTables, { visibleOnly = false } = {}): string {
  const quoted = (sql: string) => sql.replace(/'/g, "''");
  const candidates = visibleOnly
    ? `SELECT position FROM ${quoted(t.events)} e WHERE position > $1 AND ${quoted(visibleEvent(t, 'e'))}`
    : `SELECT position FROM ${quoted(t.events)} WHERE position > $1`;
  return `      -- Each condition: the first event after its position that it matches, among the streams its caller may see.
      condition_positions := ARRAY[]::bigint[];
      FOR c IN SELECT value FROM jsonb_array_elements(conditions) LOOP
        q := '${candidates}';
        IF c ? 'types' THEN q := q || ' AND type = ANY ($2)'; END IF;
        IF c ? 'prefix' THEN q := q || ' AND stream_id >= $3 AND stream_id <= $3 || chr(1114111) AND starts_with(stream_id, $3)'; END IF;
        IF c ? 'scope' THEN q := q || ' AND stream_id LIKE ANY ($4)'; END IF;
        IF c ? 'pattern' THEN
          -- A match is contained in the event (objects by subset, the rest by equality), so jsonb's own
          -- containment rules out most rows before the exact match is asked.
          IF jsonb_typeof(c -> 'pattern') = 'object' AND (c -> 'pattern') ? 'data' THEN q := q || ' AND data @> ($5 -> ''data'')'; END IF;
          IF jsonb_typeof(c -> 'pattern') = 'object' AND (c -> 'pattern') ? 'metadata' THEN q := q || ' AND metadata @> ($5 -> ''metadata'')'; END IF;
          q := q || ' AND ${t.patternMatches.replace(/'/g, "''")}($5, jsonb_build_object(''streamId'', stream_id, ''type'', type, ''data'', data, ''metadata'', metadata))';
        END IF;
        found_position := NULL;
        EXECUTE q || ' ORDER BY position LIMIT 1' INTO found_position USING
          (c ->> 'after')::bigint,
          ARRAY(SELECT jsonb_array_elements_text(c -> 'types')),
          c ->> 'prefix',
          ARRAY(SELECT jsonb_array_elements_text(c -> 'scope')),
          c -> 'pattern';
        condition_positions := condition_positions || found_position;
        IF found_position IS NOT NULL AND (c ->> 'required')::boolean THEN
          refused := true;
        END IF;
      END LOOP;
`;
}

/**
 * Returns early (NULL answers) when a touched stream no longer has the version
 * and deletion state the plan assumed, or a fresh event id got stored meanwhile.
 */
export function returnIfStreamsOrIdsMoved(t: StoreTables): string {
  return `      EXECUTE $check$
        SELECT EXISTS (
          SELECT 1 FROM unnest($1::text[], $2::int[], $3::text[]) AS assumed(stream_id, version, deleted)
          LEFT JOIN ${t.streams} s ON s.stream_id = assumed.stream_id
          WHERE coalesce(s.version, -1) <> assumed.version OR s.deleted IS DISTINCT FROM assumed.deleted
        ) OR (cardinality($4::uuid[]) > 0 AND EXISTS (SELECT 1 FROM ${t.events} WHERE event_id = ANY($4::uuid[])))
      $check$
      INTO stale USING stream_ids, assumed_versions, assumed_deleted, fresh_ids;
      IF stale THEN
        RETURN;
      END IF;`;
}

/** The SQLSTATE (serialization_failure) of a batch whose plan no longer held: nothing was written, plan again. */
export const STALE_PLAN_SQLSTATE = '40001';

/** Fails the statement, so nothing of the batch is written: the gateway plans it again. */
export function raiseStalePlan(): string {
  return `        RAISE EXCEPTION 'a stream of the append plan moved, appeared, went or changed its deletion state since it was read'
          USING ERRCODE = ${sqlLiteral(STALE_PLAN_SQLSTATE)};`;
}

/**
 * Of the versions from 009 on: counts the streams the batch writes and those
 * it creates; when its writes cannot check the plan (a stream it only reads,
 * nothing to write, conditions), checks it by lookup; then the conditions.
 */
export function checkWhatTheWritesCannot(t: StoreTables): string {
  return `      SELECT count(*) FILTER (WHERE a.after > a.version), count(*) FILTER (WHERE a.after > a.version AND (a.version = -1 OR a.deleted = 'soft'))
      INTO written_streams, new_streams
      FROM unnest(assumed_versions, assumed_deleted, versions_after) AS a(version, deleted, after);
      IF written_streams < cardinality(stream_ids) OR cardinality(event_ids) = 0 OR jsonb_array_length(conditions) > 0 THEN
${returnIfStreamsOrIdsMoved(t)}
      END IF;

${conditionPositionsUnderLock(t)}
      IF refused OR cardinality(event_ids) = 0 THEN
        RETURN;
      END IF;`;
}

/** Of the versions from 009 on, once the events are inserted: moves the head, notifies listeners, and sets the answers. */
export function moveHeadAndAnswer(t: StoreTables): string {
  return `      UPDATE ${t.head}
      SET position = head_position + cardinality(event_ids), stream_count = stream_count + new_streams,
          event_count = event_count + cardinality(event_ids);
      PERFORM pg_notify(${sqlLiteral(t.channel)}, (head_position + cardinality(event_ids))::text);
      first_position := head_position + 1;
      created_epoch := (extract(epoch FROM now()) * 1000000)::bigint;`;
}

/**
 * Of the versions from 009 on: moves each stream the plan writes (`written`, over the rows `a` of `rows`) only
 * from the version and deletion state the plan assumed, and counts those it moved into `moved_streams`.
 */
export function moveStreamsAsPlanned(t: StoreTables, rows: string, written: string): string {
  return `      -- A stream the plan took for stored but that is not gets inserted: its row says so ('-infinity').
      WITH moved AS (
        INSERT INTO ${t.streams} AS s (stream_id, version, first_version, deleted, updated)
        SELECT a.stream_id, a.after, a.version + 1, a.deleted,
               CASE WHEN a.version = -1 AND a.deleted IS NULL THEN now() ELSE '-infinity' END
        FROM ${rows}
        WHERE ${written}
        ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, updated = now(), deleted = NULL,
          first_version = CASE WHEN s.deleted IS NULL THEN s.first_version ELSE excluded.first_version END
        WHERE s.version = excluded.first_version - 1 AND s.deleted IS NOT DISTINCT FROM excluded.deleted
        RETURNING s.updated
      )
      SELECT count(*), coalesce(bool_or(moved.updated = '-infinity'), false) INTO moved_streams, assumed_stored_but_absent FROM moved;`;
}

/** The variables of the versions from 009 on that their shared parts use, besides `CONDITION_VARIABLES`. */
export const CHECKED_APPEND_VARIABLES = `      head_position bigint;
      written_streams int;
      new_streams int;
      moved_streams int;
      assumed_stored_but_absent boolean;
      stale boolean;`;
