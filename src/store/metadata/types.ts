/** A stream's metadata as stored; null where a limit is not set. */
export interface StreamMetadata {
  maxCount: number | null;
  maxAgeSeconds: number | null;
  truncateBefore: number | null;
  custom: unknown;
}

/** What `setStreamMetadata` writes: the whole metadata, every omitted field cleared. */
export interface NewStreamMetadata {
  streamId: string;
  maxCount: number | null;
  maxAgeSeconds: number | null;
  truncateBefore: number | null;
  /** The custom JSON as text, already checked; null for none. */
  customJson: string | null;
}
