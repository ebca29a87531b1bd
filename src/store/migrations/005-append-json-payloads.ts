import type { StoreTables } from '../tables.js';
import { plannedAppendBody } from './append-function-parts.js';

/**
 * Adds a version of the append function that takes the batch's payloads as
 * two JSON documents, an array of every event's data and one of its
 * metadata, instead of two jsonb[]. An array literal of JSON texts is
 * escaped by the gateway and unescaped by PostgreSQL one element at a time:
 * for a batch of small events that cost about as much as inserting them,
 * all of it on the path that every batch of the store waits for.
 *
 * The jsonb[] version stays beside it, an overload of the same name, so that
 * gateways not yet upgraded keep appending during a rolling upgrade; both
 * take the same lock and number positions alike.
 */
export function appendJsonPayloads(t: StoreTables): string {
  return `
    CREATE OR REPLACE FUNCTION ${t.appendFunction}(
      stream_ids text[], assumed_versions int[], fresh_ids uuid[],
      event_ids uuid[], event_streams text[], event_versions int[],
      event_types text[], event_data json, event_metadata json, event_content_types text[],
      OUT first_position bigint, OUT created_epoch bigint)
${plannedAppendBody(t, insertEventsFromDocuments(t))}
  `;
}

function insertEventsFromDocuments(t: StoreTables): string {
  return `      INSERT INTO ${t.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
      SELECT head_position + e.ordinal, e.id, e.stream_id, e.version, e.type, e.data::jsonb, e.metadata::jsonb, e.content_type
      FROM ROWS FROM (
          unnest(event_ids), unnest(event_streams), unnest(event_versions), unnest(event_types),
          json_array_elements(event_data), json_array_elements(event_metadata), unnest(event_content_types)
        ) WITH ORDINALITY AS e(id, stream_id, version, type, data, metadata, content_type, ordinal);`;
}
