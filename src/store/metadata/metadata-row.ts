import type { StreamMetadata } from './types.js';

export const METADATA_COLUMNS = 'stream_id, max_count, max_age_seconds, truncate_before, custom';

export interface MetadataRow {
  stream_id: string;
  max_count: number | null;
  max_age_seconds: number | null;
  truncate_before: number | null;
  custom: unknown;
}

export function toStreamMetadata(row: MetadataRow): StreamMetadata {
  return { maxCount: row.max_count, maxAgeSeconds: row.max_age_seconds, truncateBefore: row.truncate_before, custom: row.custom ?? null };
}
