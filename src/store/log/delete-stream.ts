import type pg from 'pg';
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
 * refuses every append.
 */
export async function deleteStream(db: pg.Pool, tables: StoreTables, { streamId, expected, hard }: DeleteStreamRequest): Promise<DeleteStreamOutcome> {
  const { rows } = await db.query<{ outcome: string; actual_version: number; erased: string }>(
    `SELECT outcome, actual_version, erased FROM ${tables.deleteStreamFunction}($1, $2, $3, $4)`,
    [streamId, hard, expected.kind, expected.kind === 'exact' ? expected.version : null],
  );
  const row = rows[0]!;
  switch (row.outcome) {
    case 'deleted':
      return { ok: true, streamId, erasedEvents: Number(row.erased) };
    case 'stream_deleted':
      return { ok: false, reason: 'stream_deleted', streamId };
    default:
      return {
        ok: false,
        reason: 'wrong_expected_version',
        streamId,
        expected: expectedLabel(expected),
        actualVersion: row.actual_version,
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
