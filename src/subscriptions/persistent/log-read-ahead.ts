import type { RecordedEvent } from '../../store/types.js';
import type { HistoryReader } from '../history.js';

/** Most bytes of event JSON read ahead per subscription, however many events `pageSize` allows. */
const READ_AHEAD_BYTES = 8 * 2 ** 20;

/** What a claim may take from the log, and where the read cursor goes then. */
export interface LogTake {
  events: RecordedEvent[];
  readPosition: number;
}

/**
 * The selected events after a subscription's read cursor, read from the log
 * ahead of the claims that take them, so that a claim of a few events does
 * not read the log again. The cursor in the database decides: after each
 * claim the buffer follows it, and drops what another gateway took.
 */
export class LogReadAhead {
  private events: RecordedEvent[] = [];
  private scannedTo: number;
  private exhausted = false;
  /** The last read reached the end of the log and found nothing selected: the next one also learns the head, to pass over what it did not select. */
  private atUnselectedTail = false;

  /** `head` answers the store's head position, read from the leader. */
  constructor(
    private readonly read: HistoryReader,
    private position: number,
    private readonly head: () => Promise<number>,
  ) {
    this.scannedTo = position;
  }

  /** The read cursor as this gateway last knew it. */
  get cursor(): number {
    return this.position;
  }

  /** True while the log may hold selected events this buffer has not handed to a claim. */
  get mayHaveMore(): boolean {
    return this.events.length > 0 || !this.exhausted;
  }

  /** Reads the log (`pageSize` events at a time, 8 MiB at most) when nothing is buffered, until something is or the log ends. */
  async fill(pageSize: number): Promise<void> {
    while (this.events.length === 0) {
      // A read narrowed in SQL sees only the events it selects, so it ends at the last of them, short of the events
      // appended after it that it does not select: the cursor would stay there, and the lag never come back to 0.
      // Positions are commit-ordered, so every event up to a head read before the page is in the page's view.
      const head = this.atUnselectedTail ? await this.head() : undefined;
      const page = await this.read(this.scannedTo, pageSize, READ_AHEAD_BYTES);
      this.events = page.events;
      this.scannedTo = page.scannedTo;
      this.exhausted = page.exhausted;
      if (page.exhausted) {
        if (head !== undefined && head > this.scannedTo) this.scannedTo = head;
        this.atUnselectedTail = page.events.length === 0;
        return;
      }
    }
  }

  /**
   * At most `room` of the buffered events, and where the cursor goes once
   * they are taken: past everything read when all are, else to the last one
   * taken.
   */
  take(room: number): LogTake {
    const events = this.events.slice(0, room);
    if (events.length === this.events.length) return { events, readPosition: this.scannedTo };
    return { events, readPosition: events.length === 0 ? this.position : events[events.length - 1]!.position };
  }

  /** The cursor as the database has it. Outside what was read (another gateway went further, or the subscription was made anew), start over from it. */
  moveTo(readPosition: number): void {
    if (readPosition < this.position || readPosition > this.scannedTo) {
      this.events = [];
      this.scannedTo = readPosition;
      this.exhausted = false;
    } else {
      const next = this.events.findIndex((event) => event.position > readPosition);
      this.events = next === -1 ? [] : this.events.slice(next);
    }
    this.position = readPosition;
  }
}
