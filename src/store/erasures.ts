import { escapeLiteral } from 'pg';
import type { StoreTables } from './tables.js';

/** A stream's events below `beforeVersion` are gone (a deletion) or hidden (its retention): nobody who has not had them gets them. */
export interface Erasure {
  streamId: string;
  beforeVersion: number;
}

export type ErasureListener = (erasure: Erasure) => void;

/**
 * Who in this gateway must hear of an erasure made through it before it is
 * answered: the live subscribers holding events not yet sent. Other gateways
 * hear of it on the store's events channel (`notifyErasureSql`).
 */
export class ErasureNotices {
  private readonly listeners = new Set<ErasureListener>();

  /** Answers the call that stops listening. */
  listen(listener: ErasureListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tell(erasure: Erasure): void {
    for (const listener of this.listeners) {
      try {
        listener(erasure);
      } catch {
        // The erasure committed: a listener's failure must not make it answer as failed.
      }
    }
  }
}

/**
 * The SQL call that tells every gateway of an erasure when its transaction
 * commits, on the channel appends are told on (whose own notices are bare
 * positions). `streamId` and `beforeVersion` are SQL expressions.
 */
export function notifyErasureSql(tables: StoreTables, streamId: string, beforeVersion: string): string {
  return `pg_notify(${escapeLiteral(tables.channel)}, json_build_object('erased', ${streamId}, 'before', ${beforeVersion})::text)`;
}

/** Null for any other payload of the events channel (an append's position). */
export function parseErasure(payload: string | undefined): Erasure | null {
  if (!payload?.startsWith('{')) return null;
  try {
    const notice = JSON.parse(payload) as { erased?: unknown; before?: unknown };
    if (typeof notice.erased !== 'string' || typeof notice.before !== 'number') return null;
    return { streamId: notice.erased, beforeVersion: notice.before };
  } catch {
    return null;
  }
}
