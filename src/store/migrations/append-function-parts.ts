import type { StoreTables } from '../tables.js';
import { sqlLiteral } from './sql-literal.js';

/**
 * The append function's parameters and answers. Every version declares the
 * same ones, so CREATE OR REPLACE replaces it instead of adding an overload.
 */
export const APPEND_FUNCTION_PARAMETERS = `      stream_ids text[], assumed_versions int[], fresh_ids uuid[],
      event_ids uuid[], event_streams text[], event_versions int[],
      event_types text[], event_data jsonb[], event_metadata jsonb[], event_content_types text[],
      OUT first_position bigint, OUT created_epoch bigint)`;

/**
 * The part of the append function that its versions share: with
 * `head_position` read under the lock, it inserts the batch's events at the
 * next positions, moves the streams and the head, notifies listeners, and
 * sets the function's answers. Released migrations are made from it, so its
 * text must not change; a version that writes differently gets its own.
 */
export function writePlannedBatch(t: StoreTables): string {
  return `      INSERT INTO ${t.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
      SELECT head_position + e.ordinal, e.id, e.stream_id, e.version, e.type, e.data, e.metadata, e.content_type
      FROM unnest(event_ids, event_streams, event_versions, event_types, event_data, event_metadata, event_content_types)
        WITH ORDINALITY AS e(id, stream_id, version, type, data, metadata, content_type, ordinal);

      SELECT count(*) INTO new_streams FROM unnest(assumed_versions) AS v WHERE v = -1;
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
