import type { StoreTables } from '../tables.js';

/**
 * Stream metadata. A row holds a stream's retention limits and custom JSON;
 * it may exist before its stream does, and goes with the stream's events when
 * the stream is deleted (custom JSON is the stream's data too). The partial
 * index makes "does any stream have retention?" one probe, which every read
 * asks before it filters anything.
 */
export function streamMetadata(t: StoreTables): string {
  return `
    CREATE TABLE ${t.streamMetadata} (
      stream_id        text COLLATE "C" PRIMARY KEY,
      max_count        integer CHECK (max_count > 0),
      max_age_seconds  integer CHECK (max_age_seconds > 0),
      truncate_before  integer CHECK (truncate_before >= 0),
      custom           jsonb,
      updated          timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX stream_metadata_retention ON ${t.streamMetadata} (stream_id) 
      WHERE max_count IS NOT NULL OR max_age_seconds IS NOT NULL OR truncate_before IS NOT NULL;

    CREATE FUNCTION ${t.schema}.erase_stream_metadata() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      DELETE FROM ${t.streamMetadata} WHERE stream_id = NEW.stream_id;
      RETURN NULL;
    END
    $fn$;
    CREATE TRIGGER erase_metadata_of_deleted_streams AFTER INSERT OR UPDATE OF deleted ON ${t.streams}
      FOR EACH ROW WHEN (NEW.deleted IS NOT NULL) EXECUTE FUNCTION ${t.schema}.erase_stream_metadata();
  `;
}
