import type pg from 'pg';
import { notifyErasureSql, type Erasure } from '../erasures.js';
import type { StoreTables } from '../tables.js';
import type { DeleteStreamOutcome, ExpectedVersion } from '../types.js';

export interface DeleteStreamRequest {
  streamId: string;
  expected: ExpectedVersion;
  /** A tombstone: the stream can never be written again. */
  hard: boolean;
}

/**
 * Erases a stream: its events, the snapshots of it, and every persistent
 * delivery of its events (in flight or parked), in one statement under the
 * store's lock (the function of migration 007), so that no append batch
 * interleaves. The streams row stays, marked deleted, with its last version:
 * a soft-deleted stream's numbering goes on after it, and a hard-deleted one
 * refuses every append. Every gateway is told of the erasure when it
 * commits, and `erasure` says what it took, for this gateway's own
 * subscribers (null when nothing was stored).
 */
export async function deleteStream(
  db: pg.Pool,
  tables: StoreTables,
  { streamId, expected, hard }: DeleteStreamRequest,
): Promise<{ outcome: DeleteStreamOutcome; erasure: Erasure | null }> {
  const { rows } = await db.query<{ outcome: string; actual_version: number; erased: string }>(
    `SELECT outcome, actual_version, erased,
            CASE WHEN outcome = 'deleted' AND erased > 0 THEN ${notifyErasureSql(tables, '$1::text', 'actual_version + 1')} END AS notified
     FROM ${tables.deleteStreamFunction}($1, $2, $3, $4)`,
    [streamId, hard, expected.kind, expected.kind === 'exact' ? expected.version : null],
  );
  const row = rows[0]!;
  switch (row.outcome) {
    case 'deleted': {
      const erasedEvents = Number(row.erased);
      return { outcome: { ok: true, streamId, erasedEvents }, erasure: erasedEvents > 0 ? { streamId, beforeVersion: row.actual_version + 1 } : null };
    }
    case 'stream_deleted':
      return { outcome: { ok: false, reason: 'stream_deleted', streamId }, erasure: null };
    default:
      return {
        outcome: { ok: false, reason: 'wrong_expected_version', streamId, expected: expectedLabel(expected), actualVersion: row.actual_version },
        erasure: null,
      };
  }
}

/** As WrongExpectedVersionError names an expectation. */
function expectedLabel(expected: ExpectedVersion): string {
  switch (expected.kind) {
    case 'exact':
      return String(expected.version);
    case 'no_stream':
      return 'NO_STREAM';
    case 'stream_exists':
      return 'STREAM_EXISTS';
    case 'any':
      return 'ANY';
  }
}
