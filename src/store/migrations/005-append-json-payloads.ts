import type { StoreTables } from '../tables.js';
import { insertEventsFromDocuments, plannedAppendBody } from './append-function-parts.js';

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
