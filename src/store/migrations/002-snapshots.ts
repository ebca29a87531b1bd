import type { StoreTables } from '../tables.js';

/**
 * Snapshots, one per (source, stream, version). Listings are ordered by
 * source, stream and then version newest first; a B-tree read in one
 * direction cannot give that mixed order from the primary key, so
 * `snapshots_listing` holds it, and `snapshots_by_stream` serves listings
 * filtered by stream alone, whose source is not fixed. Both keep every
 * listing a keyset scan with no sort. The "C" collation makes the order
 * bytewise, as for stream ids.
 */
export function snapshots(t: StoreTables): string {
  return `
    CREATE TABLE ${t.snapshots} (
      source_uuid  text COLLATE "C" NOT NULL,
      stream_uuid  text COLLATE "C" NOT NULL,
      version      integer NOT NULL,
      source_type  text,
      data         jsonb NOT NULL,
      metadata     jsonb NOT NULL,
      created      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (source_uuid, stream_uuid, version)
    );
    CREATE INDEX snapshots_listing ON ${t.snapshots} (source_uuid, stream_uuid, version DESC);
    CREATE INDEX snapshots_by_stream ON ${t.snapshots} (stream_uuid, source_uuid, version DESC);
  `;
}
