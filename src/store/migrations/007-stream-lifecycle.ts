import type { StoreTables } from '../tables.js';
import { notifySql } from '../persistent/notices.js';
import {
  CONDITION_VARIABLES,
  conditionPositionsUnderLock,
  EVENT_PARAMETERS_AND_ANSWERS,
  insertEventsFromArrays,
  insertEventsFromDocuments,
  lockStore,
  returnIfStale,
  returnIfStreamsOrIdsMoved,
} from './append-function-parts.js';
import { sqlLiteral } from './sql-literal.js';

/**
 * Stream deletion, multi-stream and conditional appends.
 *
 * - `streams.deleted`: 'soft' (reads as not existing, may be written again,
 *   numbering goes on after `version`) or 'hard' (a tombstone, never written
 *   again). `streams.first_version`: the version of the stream's oldest
 *   event since it was last (re)created, so its event count is known without
 *   a scan once events have been erased.
 * - `head.event_count`: erased events leave holes in the positions, so the
 *   head position no longer counts the events. Up to here positions were
 *   gapless, so the head position is the count.
 * - `pattern_matches`: the deep-subset match of live `byEventPattern`, in SQL,
 *   for append conditions checked under the store lock.
 * - `delete_stream`: erases a stream under the store lock (one statement, as
 *   every store write is), checking its expectation there.
 * - A third version of the append function: it also verifies each touched
 *   stream's deletion state, checks the batch's conditions under the lock,
 *   and keeps the counts. The two earlier versions are replaced by ones that
 *   keep the counts too and refuse, with a message saying why, a batch that
 *   touches a deleted stream: gateways of earlier releases, during a rolling
 *   upgrade, do not know of deletion and would otherwise write into a
 *   tombstone, or let an expected version from before the deletion match.
 */
export function streamLifecycle(t: StoreTables): string {
  return `
    ALTER TABLE ${t.streams}
      ADD COLUMN deleted text CHECK (deleted IN ('soft', 'hard')),
      ADD COLUMN first_version integer NOT NULL DEFAULT 0;
    ALTER TABLE ${t.head} ADD COLUMN event_count bigint;
    UPDATE ${t.head} SET event_count = position;
    ALTER TABLE ${t.head} ALTER COLUMN event_count SET NOT NULL;

    CREATE FUNCTION ${t.patternMatches}(pattern jsonb, candidate jsonb) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE AS $fn$
    BEGIN
      IF jsonb_typeof(pattern) = 'object' THEN
        IF jsonb_typeof(candidate) IS DISTINCT FROM 'object' THEN
          RETURN false;
        END IF;
        RETURN NOT EXISTS (
          SELECT 1 FROM jsonb_each(pattern) AS p(key, value)
          WHERE NOT (candidate ? p.key AND ${t.patternMatches}(p.value, candidate -> p.key))
        );
      END IF;
      -- Anything else, arrays included, must be equal (jsonb equality is deep).
      RETURN pattern = candidate;
    END
    $fn$;

    CREATE FUNCTION ${t.appendFunction}(
      stream_ids text[], assumed_versions int[], assumed_deleted text[], fresh_ids uuid[],
${EVENT_PARAMETERS_AND_ANSWERS}
    DECLARE
      head_position bigint;
      new_streams int;
      stale boolean;
${CONDITION_VARIABLES}
    BEGIN
${lockStore(t)}
${returnIfStreamsOrIdsMoved(t)}

${conditionPositionsUnderLock(t)}      IF refused OR cardinality(event_ids) = 0 THEN
        RETURN;
      END IF;

      SELECT position INTO head_position FROM ${t.head};
${insertEventsFromDocuments(t)}

      SELECT count(*) INTO new_streams FROM unnest(assumed_versions, assumed_deleted) AS a(version, deleted)
      WHERE a.version = -1 OR a.deleted = 'soft';
${upsertStreamsAndHead(t)}
      first_position := head_position + 1;
      created_epoch := (extract(epoch FROM now()) * 1000000)::bigint;
    END
    $fn$;

${deleteStreamFunction(t)}
${earlierVersion(t, 'event_data jsonb[], event_metadata jsonb[]', insertEventsFromArrays(t))}
${earlierVersion(t, 'event_data json, event_metadata json', insertEventsFromDocuments(t))}
  `;
}

/** Moves the written streams (a soft-deleted one comes back, numbering on) and the head, and notifies listeners. */
function upsertStreamsAndHead(t: StoreTables): string {
  return `      INSERT INTO ${t.streams} AS s (stream_id, version, first_version)
      SELECT e.stream_id, max(e.version), min(e.version) FROM unnest(event_streams, event_versions) AS e(stream_id, version)
      GROUP BY e.stream_id
      ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, updated = now(), deleted = NULL,
        first_version = CASE WHEN s.deleted IS NULL THEN s.first_version ELSE excluded.first_version END;

      UPDATE ${t.head}
      SET position = head_position + cardinality(event_ids), stream_count = stream_count + new_streams,
          event_count = event_count + cardinality(event_ids);
      PERFORM pg_notify(${sqlLiteral(t.channel)}, (head_position + cardinality(event_ids))::text);
`;
}

/** The function as gateways of earlier releases call it: same answers, counts kept, deleted streams refused. */
function earlierVersion(t: StoreTables, payloadParameters: string, insertEvents: string): string {
  return `
    CREATE OR REPLACE FUNCTION ${t.appendFunction}(
      stream_ids text[], assumed_versions int[], fresh_ids uuid[],
      event_ids uuid[], event_streams text[], event_versions int[],
      event_types text[], ${payloadParameters}, event_content_types text[],
      OUT first_position bigint, OUT created_epoch bigint)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      head_position bigint;
      new_streams int;
      stale boolean;
      deleted_stream text;
    BEGIN
${lockStore(t)}
      EXECUTE $deleted$
        SELECT s.stream_id FROM ${t.streams} s WHERE s.stream_id = ANY ($1::text[]) AND s.deleted IS NOT NULL LIMIT 1
      $deleted$
      INTO deleted_stream USING stream_ids;
      IF deleted_stream IS NOT NULL THEN
        RAISE EXCEPTION 'stream "%" was deleted; only a gateway that knows of deletion (migration 7 or later) may append to it', deleted_stream
          USING ERRCODE = 'object_not_in_prerequisite_state';
      END IF;
${returnIfStale(t)}

      SELECT position INTO head_position FROM ${t.head};
${insertEvents}

      SELECT count(*) INTO new_streams FROM unnest(assumed_versions) AS v WHERE v = -1;
${upsertStreamsAndHead(t)}
      first_position := head_position + 1;
      created_epoch := (extract(epoch FROM now()) * 1000000)::bigint;
    END
    $fn$;`;
}

/**
 * Erases a stream: its events, the snapshots of it, and every persistent
 * delivery of its events (in flight or parked). The streams row stays, marked
 * deleted, with its last version. `outcome` is 'deleted', 'wrong_expected_version'
 * (with the version it has) or 'stream_deleted' (already a tombstone).
 * `expected_kind` is 'any', 'no_stream', 'stream_exists' or 'exact'.
 */
function deleteStreamFunction(t: StoreTables): string {
  return `
    CREATE FUNCTION ${t.deleteStreamFunction}(
      target text, hard boolean, expected_kind text, expected_version int,
      OUT outcome text, OUT actual_version int, OUT erased bigint)
    LANGUAGE plpgsql AS $fn$
    DECLARE
      row_version int;
      row_deleted text;
      found boolean;
      live boolean;
    BEGIN
${lockStore(t)}
      SELECT s.version, s.deleted, true INTO row_version, row_deleted, found FROM ${t.streams} s WHERE s.stream_id = target;
      found := coalesce(found, false);
      erased := 0;
      IF row_deleted = 'hard' THEN
        outcome := 'stream_deleted';
        actual_version := -1;
        RETURN;
      END IF;
      live := found AND row_deleted IS NULL;
      actual_version := CASE WHEN live THEN row_version ELSE -1 END;
      IF (expected_kind = 'no_stream' AND live) OR (expected_kind = 'stream_exists' AND NOT live)
         OR (expected_kind = 'exact' AND actual_version <> expected_version) THEN
        outcome := 'wrong_expected_version';
        RETURN;
      END IF;

      -- The gateways whose consumers held leases of erased events are told, so that they free those slots.
      WITH gone AS (DELETE FROM ${t.events} WHERE stream_id = target RETURNING event_id),
           in_flight AS (DELETE FROM ${t.inFlight} WHERE event_id IN (SELECT event_id FROM gone) RETURNING subscription, gateway_id),
           parked AS (DELETE FROM ${t.parked} WHERE event_id IN (SELECT event_id FROM gone)),
           leases AS (SELECT DISTINCT subscription, gateway_id FROM in_flight WHERE gateway_id IS NOT NULL),
           told AS (SELECT ${notifySql(t, 'leases.subscription', 'leases.gateway_id')} FROM leases)
      SELECT (SELECT count(*) FROM gone) + 0 * (SELECT count(*) FROM told) INTO erased;
      DELETE FROM ${t.snapshots} WHERE stream_uuid = target;
      IF found THEN
        IF hard OR live THEN
          UPDATE ${t.streams} SET deleted = CASE WHEN hard THEN 'hard' ELSE 'soft' END, updated = now() WHERE stream_id = target;
        END IF;
      ELSIF hard THEN
        INSERT INTO ${t.streams} (stream_id, version, deleted) VALUES (target, -1, 'hard');
      END IF;
      UPDATE ${t.head} SET stream_count = stream_count - CASE WHEN live THEN 1 ELSE 0 END, event_count = event_count - erased;
      outcome := 'deleted';
    END
    $fn$;`;
}
