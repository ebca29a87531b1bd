import type { Erasure } from '../store/erasures.js';
import type { RecordedEvent } from '../store/types.js';

/** Whether an event is among those an erasure took. */
export function isErasedBy(erasure: Erasure, event: RecordedEvent): boolean {
  return event.streamId === erasure.streamId && event.version < erasure.beforeVersion;
}

/** What a read must leave out of what it brought back; `spoilt` when more was erased meanwhile than is remembered. */
export type ErasedSince = ((event: RecordedEvent) => boolean) | null | 'spoilt';

/** Erasures remembered by default: far more than a read's few milliseconds see. */
const DEFAULT_CAPACITY = 4_096;

/**
 * The last erasures a store's live hub heard of, in order. A read of the log
 * that began before an erasure committed may bring back what it took: the
 * reader marks where it began and leaves out what was erased since.
 */
export class RecentErasures {
  private readonly kept: Erasure[] = [];
  private heard = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  add(erasure: Erasure): void {
    this.kept[this.heard % this.capacity] = erasure;
    this.heard++;
  }

  /** Where a read that begins now stands. */
  mark(): number {
    return this.heard;
  }

  /** What a read begun at `mark` must leave out: nothing (null) in the usual case, where nothing was erased since. */
  since(mark: number): ErasedSince {
    if (mark === this.heard) return null;
    if (this.heard - mark > this.capacity) return 'spoilt';
    const erasures: Erasure[] = [];
    for (let index = mark; index < this.heard; index++) erasures.push(this.kept[index % this.capacity]!);
    return (event) => erasures.some((erasure) => isErasedBy(erasure, event));
  }
}
