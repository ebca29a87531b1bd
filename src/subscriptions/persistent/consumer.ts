import { randomUUID } from 'node:crypto';
import type { Erasure } from '../../store/erasures.js';
import type { RecordedEvent } from '../../store/types.js';
import { AsyncQueue } from '../async-queue.js';
import { isErasedBy } from '../recent-erasures.js';

/** One delivery of a persistent subscription. */
export interface PersistentDelivery {
  /** Names what this delivery shows: the event and its retry count. */
  id: string;
  /** Each delivery goes to one consumer: there is no result to share with another (SharedResults). */
  forOneOnly: true;
  event: RecordedEvent;
  /** Deliveries of this event before this one. */
  retryCount: number;
}

/**
 * One consumer of a persistent subscription (one GraphQL operation): an
 * async iterator of its deliveries, and the leases it holds, each with the
 * moment (on this process's monotonic clock) it runs out. Ending the
 * iterator (unsubscribe, socket gone) hands its leases back.
 */
export class Consumer implements AsyncIterableIterator<PersistentDelivery> {
  readonly id = randomUUID();
  /** When the database had it recorded, on `performance.now()`'s clock; until then, never. */
  registeredAt = Infinity;
  /** Event id → when its lease runs out, in `performance.now()` milliseconds. */
  readonly held = new Map<string, number>();
  private readonly queue = new AsyncQueue<PersistentDelivery>();
  private onEnd: (() => void) | undefined;

  constructor(private readonly onReturn: (consumer: Consumer) => Promise<void>) {}

  /** Runs `listener` once when the consumer ends, however it ends (at once if it has already). */
  whenEnded(listener: () => void): void {
    if (this.queue.isEnded) listener();
    else this.onEnd = listener;
  }

  get isOpen(): boolean {
    return !this.queue.isEnded;
  }

  /** How many more deliveries it may take; leases that ran out no longer count. */
  room(maxInFlight: number, now: number): number {
    for (const [eventId, deadline] of this.held) if (deadline <= now) this.held.delete(eventId);
    return Math.max(0, maxInFlight - this.held.size);
  }

  /** The earliest moment one of its leases runs out, if it holds any. */
  earliestDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const deadline of this.held.values()) if (earliest === undefined || deadline < earliest) earliest = deadline;
    return earliest;
  }

  deliver(event: RecordedEvent, retryCount: number, deadline: number): void {
    if (this.queue.isEnded) return;
    this.held.set(event.id, deadline);
    this.queue.push({ id: `${event.id}/${retryCount}`, forOneOnly: true, event, retryCount });
  }

  /** Drops the deliveries of erased events it has not handed on yet, with their leases; true when any went. */
  forget(erasure: Erasure): boolean {
    let dropped = false;
    this.queue.removeWhere(({ event }) => {
      if (!isErasedBy(erasure, event)) return false;
      this.held.delete(event.id);
      dropped = true;
      return true;
    });
    return dropped;
  }

  next(): Promise<IteratorResult<PersistentDelivery>> {
    return this.queue.next();
  }

  async return(): Promise<IteratorResult<PersistentDelivery>> {
    if (!this.queue.isEnded) {
      this.end();
      await this.onReturn(this);
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends it from the server's side: with `failure`, its reader gets that error, else it completes. */
  end(failure?: unknown): void {
    if (this.queue.isEnded) return;
    this.queue.end(failure);
    this.held.clear();
    this.onEnd?.();
  }
}
