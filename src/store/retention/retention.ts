import type { StoreRoute } from '../store-route.js';
import { erasePass } from './erase-pass.js';

/** What this gateway's retention passes did on one store, for /metrics. */
export interface RetentionCounters {
  /** Passes run to the end (not those another gateway's pass kept out). */
  passes: number;
  erasedEvents: number;
  /** Persistent-subscription deliveries (in flight, due, parked) dropped with their events. */
  erasedDeliveries: number;
  /** When the last pass ended, in milliseconds since the Unix epoch; 0 before the first. */
  lastPassEpochMs: number;
}

export interface PassLimits {
  /** Most events one pass erases. */
  maxEvents: number;
  /** Most streams with retention one pass examines. */
  maxStreams: number;
}

/**
 * Erases, a bounded step at a time, the events that stream metadata hides.
 * Passes walk the streams with retention in id order and start over at the
 * end; a stream whose hidden events do not fit one pass is taken up again
 * by the next.
 */
export class Retention {
  readonly counters: RetentionCounters = { passes: 0, erasedEvents: 0, erasedDeliveries: 0, lastPassEpochMs: 0 };
  private afterStreamId = '';

  constructor(private readonly route: StoreRoute) {}

  /** One pass on the leader; answers whether it erased as much as it may (so more is likely waiting). */
  async pass({ maxEvents, maxStreams }: PassLimits): Promise<boolean> {
    const result = await this.route.write((db, tables) => erasePass(db, tables, { afterStreamId: this.afterStreamId, maxStreams, maxEvents }));
    if (!result.ran) return false;
    const full = result.erasedEvents >= maxEvents;
    // A stream cut short by the event bound is examined again; past the last stream, start over.
    if (!full) this.afterStreamId = result.examinedStreams < maxStreams || result.lastStreamId === null ? '' : result.lastStreamId;
    this.counters.passes++;
    this.counters.erasedEvents += result.erasedEvents;
    this.counters.erasedDeliveries += result.erasedDeliveries;
    this.counters.lastPassEpochMs = Date.now();
    return full;
  }
}
