import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import type { StoreStats } from '../types.js';

/**
 * Counts kept by every append in the head row and by every erasure in the
 * erased row, so this never scans. Positions are assigned without gaps, so
 * the events stored are the head position less the events erased since.
 */
export async function storeStats(db: pg.Pool, tables: StoreTables): Promise<StoreStats> {
  const { rows } = await db.query<{ position: string; stream_count: string; erased: string }>(
    `SELECT h.position, h.stream_count, x.events AS erased FROM ${tables.head} h, ${tables.erased} x`,
  );
  const head = Number(rows[0]?.position ?? 0);
  return { streamCount: Number(rows[0]?.stream_count ?? 0), eventCount: head - Number(rows[0]?.erased ?? 0), headPosition: head };
}
