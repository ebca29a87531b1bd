import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import type { StoreStats } from '../types.js';

/** Counts kept by every append and deletion in the head row, so this never scans. Erasure leaves holes in the positions: the head is not the count. */
export async function storeStats(db: pg.Pool, tables: StoreTables): Promise<StoreStats> {
  const { rows } = await db.query<{ position: string; stream_count: string; event_count: string }>(
    `SELECT position, stream_count, event_count FROM ${tables.head}`,
  );
  const head = Number(rows[0]?.position ?? 0);
  return { streamCount: Number(rows[0]?.stream_count ?? 0), eventCount: Number(rows[0]?.event_count ?? 0), headPosition: head };
}
