import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { EVENT_ROW_TYPES, pageQuery, toPage, type EventRow } from '../event-row.js';
import { visibleEvent } from '../retention/visible-sql.js';
import type { Direction, Page, RecordedEvent } from '../types.js';

export interface ReadAllOptions {
  direction: Direction;
  /** Inclusive start; absent means the first (forward) or last (backward) event. */
  fromPosition: number | undefined;
  eventTypes: string[] | undefined;
  streamPrefix: string | undefined;
  /** LIKE patterns of the streams the reader may see (StreamScope.likePatterns); absent: every stream. */
  streamPatterns?: readonly string[];
  /** Only this stream. */
  streamId?: string;
  /** Only events whose data (or metadata) contains this JSON, as jsonb's `@>` has it. */
  dataContains?: unknown;
  metadataContains?: unknown;
  limit: number;
  /** Stop once the events' payloads reach this many bytes (the first event always comes). Default: no such bound. */
  maxBytes?: number;
}

/** One page of the store's global log in position order, a keyset scan over position. */
export async function readAll(
  db: pg.Pool,
  tables: StoreTables,
  { direction, fromPosition, eventTypes, streamPrefix, streamPatterns, streamId, dataContains, metadataContains, limit, maxBytes }: ReadAllOptions,
): Promise<Page<RecordedEvent>> {
  const forward = direction === 'forward';
  const params: unknown[] = [fromPosition ?? (forward ? 0 : Number.MAX_SAFE_INTEGER), limit + 1];
  const conditions = [`position ${forward ? '>=' : '<='} $1`];
  if (eventTypes !== undefined) {
    params.push(eventTypes);
    conditions.push(`type = ANY($${params.length}::text[])`);
  }
  if (streamPrefix !== undefined) {
    params.push(streamPrefix);
    conditions.push(`starts_with(stream_id, $${params.length})`);
  }
  if (streamPatterns !== undefined) {
    params.push(streamPatterns);
    conditions.push(`stream_id LIKE ANY ($${params.length}::text[])`);
  }
  if (streamId !== undefined) {
    params.push(streamId);
    conditions.push(`stream_id = $${params.length}`);
  }
  if (dataContains !== undefined) {
    params.push(JSON.stringify(dataContains));
    conditions.push(`data @> $${params.length}::jsonb`);
  }
  if (metadataContains !== undefined) {
    params.push(JSON.stringify(metadataContains));
    conditions.push(`metadata @> $${params.length}::jsonb`);
  }
  if (maxBytes !== undefined) params.push(maxBytes);
  const { rows } = await db.query<EventRow>({
    types: EVENT_ROW_TYPES,
    text: pageQuery(
      `FROM ${tables.events} e WHERE ${conditions.join(' AND ')} AND ${visibleEvent(tables)}`,
      `position ${forward ? 'ASC' : 'DESC'}`,
      '$2',
      maxBytes === undefined ? undefined : `$${params.length}`,
    ),
    values: params,
  });
  return toPage(rows, limit, tables.storeId, maxBytes);
}
