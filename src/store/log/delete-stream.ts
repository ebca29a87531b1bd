import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import type { DeleteStreamOutcome, ExpectedVersion } from '../types.js';
import { checkExpected, NO_STREAM } from './append-plan.js';

export interface DeleteStreamRequest {
  streamId: string;
  expected: ExpectedVersion;
  /** A tombstone: the stream can never be written again. */
  hard: boolean;
}

/**
 * Erases a stream: its events, the snapshots of it, and every persistent
 * delivery of its events (in flight or parked), in one transaction under the
 * store's lock, so that no append batch interleaves. The streams row stays,
 * marked deleted, with its last version: a soft-deleted stream's numbering
 * goes on after it, and a hard-deleted one refuses every append.
 */
export async function deleteStream(db: pg.Pool, tables: StoreTables, request: DeleteStreamRequest): Promise<DeleteStreamOutcome> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    try {
      const outcome = await deleteLocked(client, tables, request);
      await client.query(outcome.ok ? 'COMMIT' : 'ROLLBACK');
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}

async function deleteLocked(client: pg.PoolClient, tables: StoreTables, { streamId, expected, hard }: DeleteStreamRequest): Promise<DeleteStreamOutcome> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [tables.lockKey]);
  const { rows } = await client.query<{ version: number; deleted: 'soft' | 'hard' | null }>(
    `SELECT version, deleted FROM ${tables.streams} WHERE stream_id = $1`,
    [streamId],
  );
  const row = rows[0];
  if (row?.deleted === 'hard') return { ok: false, reason: 'stream_deleted', streamId };
  const live = row !== undefined && row.deleted === null;
  const wrong = checkExpected(streamId, expected, live ? row.version : NO_STREAM);
  if (wrong) return wrong;

  const { rows: erased } = await client.query<{ erased: string }>(
    `WITH erased AS (DELETE FROM ${tables.events} WHERE stream_id = $1 RETURNING event_id),
          in_flight AS (DELETE FROM ${tables.inFlight} WHERE event_id IN (SELECT event_id FROM erased)),
          parked AS (DELETE FROM ${tables.parked} WHERE event_id IN (SELECT event_id FROM erased))
     SELECT count(*) AS erased FROM erased`,
    [streamId],
  );
  const erasedEvents = Number(erased[0]!.erased);
  await client.query(`DELETE FROM ${tables.snapshots} WHERE stream_uuid = $1`, [streamId]);
  if (row) {
    if (hard || live) {
      await client.query(`UPDATE ${tables.streams} SET deleted = $2, updated = now() WHERE stream_id = $1`, [streamId, hard ? 'hard' : 'soft']);
    }
  } else if (hard) {
    await client.query(`INSERT INTO ${tables.streams} (stream_id, version, deleted) VALUES ($1, $2, 'hard')`, [streamId, NO_STREAM]);
  }
  await client.query(`UPDATE ${tables.head} SET stream_count = stream_count - $1, event_count = event_count - $2`, [live ? 1 : 0, erasedEvents]);
  return { ok: true, streamId, erasedEvents };
}
