import type { StoreTables } from '../tables.js';

/**
 * Stream metadata. A row holds a stream's retention limits and custom JSON;
 * it may exist before its stream does. `erased_events` counts the events the
 * retention pass erased from that stream, and the `erased` singleton those of
 * the whole store, so that event counts stay exact without counting rows.
 * The partial index makes "does any stream have retention?" one probe, which
 * every read asks before it filters anything.
 */
export function streamMetadata(t: StoreTables): string {
  return `
    CREATE TABLE ${t.streamMetadata} (
      stream_id        text COLLATE "C" PRIMARY KEY,
      max_count        integer CHECK (max_count > 0),
      max_age_seconds  integer CHECK (max_age_seconds > 0),
      truncate_before  integer CHECK (truncate_before >= 0),
      custom           jsonb,
      erased_events    bigint NOT NULL DEFAULT 0,
      updated          timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX stream_metadata_retention ON ${t.streamMetadata} (stream_id) 
      WHERE max_count IS NOT NULL OR max_age_seconds IS NOT NULL OR truncate_before IS NOT NULL;

    CREATE TABLE ${t.erased} (
      singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      events     bigint NOT NULL
    );
    INSERT INTO ${t.erased} (events) VALUES (0);
  `;
}
