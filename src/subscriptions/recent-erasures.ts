import type { Erasure } from '../store/erasures.js';
import type { RecordedEvent } from '../store/types.js';

/** Whether an event is among those an erasure took. */
export function isErasedBy(erasure: Erasure, event: RecordedEvent): boolean {
  return event.streamId === erasure.streamId && event.version < erasure.beforeVersion;
}

/**
 * What a read must leave out of what it brought back: nothing (null), the
 * events a test picks out, or `forgotten` when erasures it may have missed
 * are no longer remembered (the read is to be made again).
 */
export type ErasedSince = ((event: RecordedEvent) => boolean) | null | 'forgotten';

/** Streams remembered by default: a read would have to outlast erasures of this many streams to be made again. */
const DEFAULT_CAPACITY = 65_536;

/** The latest erasure of one stream, and when it was heard. */
interface Remembered {
  beforeVersion: number;
  heard: number;
}

/**
 * The erasures a store's live hub heard of, the latest per stream. A read of
 * the log that began before an erasure committed may bring back what it
 * took: the reader marks where it began and leaves out what was erased since.
 * An erasure heard twice (told here, then by NOTIFY) or that erases nothing
 * new counts once.
 */
export class RecentErasures {
  private readonly streams = new Map<string, Remembered>();
  private heard = 0;
  /** Reads marked before this were made while erasures now forgotten were heard. */
  private forgottenUpTo = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** Remembers an erasure; false when it takes nothing that one heard before did not (heard twice, say). */
  add({ streamId, beforeVersion }: Erasure): boolean {
    const known = this.streams.get(streamId);
    if (known && known.beforeVersion >= beforeVersion) return false;
    // Deleted and set again, so that the map's order stays the order of hearing.
    this.streams.delete(streamId);
    this.streams.set(streamId, { beforeVersion, heard: ++this.heard });
    if (this.streams.size > this.capacity) {
      const [oldestStream, oldest] = this.streams.entries().next().value as [string, Remembered];
      this.streams.delete(oldestStream);
      this.forgottenUpTo = oldest.heard;
    }
    return true;
  }

  /** Where a read that begins now stands. */
  mark(): number {
    return this.heard;
  }

  /** What a read begun at `mark` must leave out: nothing (null) in the usual case, where nothing was erased since. */
  since(mark: number): ErasedSince {
    if (mark === this.heard) return null;
    if (mark < this.forgottenUpTo) return 'forgotten';
    return (event) => {
      const erased = this.streams.get(event.streamId);
      return erased !== undefined && erased.heard > mark && event.version < erased.beforeVersion;
    };
  }
}
