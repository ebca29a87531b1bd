import type { Erasure } from '../store/erasures.js';
import { jsonSizeOf } from '../store/event-size.js';
import { StreamScope } from '../store/stream-scope.js';
import type { RecordedEvent } from '../store/types.js';
import { AsyncQueue } from './async-queue.js';
import type { BufferPool } from './buffer-pool.js';
import type { Recipient } from './fan-out-index.js';
import { keyOf, type HistoryPage, type HistoryReader } from './history.js';
import { isErasedBy, type RecentErasures } from './recent-erasures.js';
import { compileFilter, type Selection } from './selection.js';

/**
 * What an event is taken to weigh before any was read: the database cuts the first page by
 * stored size, which compression can make far smaller than what the page holds once read.
 */
const UNMET_EVENT_BYTES = 8 * 1024;

export interface SubscriberOptions {
  selection: Selection;
  /** Key of the last event the subscriber must not see: it starts just after. */
  startAfter: number;
  history: HistoryReader;
  /** Only events of these streams are delivered; the history reader must keep to them too. Default: every stream. */
  scope?: StreamScope;
  /** Most events held for this subscriber at once. */
  capacity: number;
  /** Most bytes of event JSON held for it at once (one larger event is let through alone). */
  capacityBytes: number;
  /** The bound all subscribers' queues keep to together; a history page takes no more than it has left. Default: none. */
  pool?: BufferPool;
  /** The erasures its store's hub heard of, so that a history read leaves out what was erased while it ran. */
  erasures: RecentErasures;
  /** Called once when the subscriber ends, whatever the reason. */
  onClose: (subscriber: Subscriber) => void;
  onError: (error: unknown) => void;
}

/**
 * One live subscription: an async iterator of events, in log order, each
 * once. It starts by reading history, then takes events the tailer offers.
 * Memory is bounded by `capacity` and `capacityBytes`, for what waits for
 * the consumer and what waits for a catch-up to end alike, and history reads
 * by what the pool of all subscribers has left: when the consumer
 * falls behind, offered events are dropped and the subscriber reads them from the database again
 * (catching up), then rejoins the live feed. Deduplication is by key, so the
 * switch between history and live never repeats or skips an event.
 */
export class Subscriber implements Recipient, AsyncIterableIterator<RecordedEvent> {
  readonly selection: Selection;
  private readonly filter: ((event: RecordedEvent) => boolean) | null;
  private readonly queue: AsyncQueue<RecordedEvent>;
  /** Events offered while catching up, handed over when the catch-up ends. */
  private backlog: RecordedEvent[] = [];
  private backlogBytes = 0;
  private backlogOverflowed = false;
  /**
   * About the largest event met lately, in bytes of JSON (halved on each page
   * that has none as large). A page asks for no more events than fit at this
   * size: the database cuts a page by stored size, which compression makes smaller.
   */
  private largestEvent = 0;
  private lastQueuedKey: number;
  private mode: 'catching-up' | 'live' = 'catching-up';
  private wakeReader: (() => void) | undefined;

  constructor(private readonly options: SubscriberOptions) {
    this.selection = options.selection;
    this.queue = new AsyncQueue<RecordedEvent>(jsonSizeOf, options.pool);
    this.filter = scopedFilter(compileFilter(options.selection), options.scope ?? StreamScope.EVERY_STREAM);
    this.lastQueuedKey = options.startAfter;
    void this.catchUp();
  }

  offer(event: RecordedEvent): void {
    if (this.closed || (this.filter && !this.filter(event))) return;
    if (keyOf(this.selection, event) <= this.lastQueuedKey) return;
    // A consumer that keeps up, the common case, costs no weighing.
    if (this.mode === 'live' && this.queue.size === 0) {
      this.enqueue(event);
      return;
    }
    const size = jsonSizeOf(event);
    if (size > this.largestEvent) this.largestEvent = size;
    if (this.mode === 'catching-up') {
      if (this.backlogOverflowed) return;
      if (this.backlog.length < this.options.capacity && this.backlogBytes + this.queue.weight + size <= this.options.capacityBytes) {
        this.backlog.push(event);
        this.backlogBytes += size;
        return;
      }
      // The catch-up reads these from the database anyway: let them go now rather than when it ends.
      this.backlogOverflowed = true;
      this.dropBacklog();
      return;
    }
    if (this.queue.size < this.options.capacity && this.queue.weight + size <= this.options.capacityBytes) {
      this.enqueue(event);
      return;
    }
    // The consumer is too slow: let go of live events and read them back from the database later.
    this.mode = 'catching-up';
    void this.catchUp();
  }

  /**
   * Events erased (a deletion, a retention limit) are not handed on once
   * the erasure is known, whether queued, waiting in the backlog, or in a
   * history read under way.
   */
  forget(erasure: Erasure): void {
    if (this.closed) return;
    const gone = (event: RecordedEvent) => isErasedBy(erasure, event);
    this.queue.removeWhere(gone);
    if (this.backlog.some(gone)) {
      const kept: RecordedEvent[] = [];
      for (const event of this.backlog) {
        if (gone(event)) this.backlogBytes -= jsonSizeOf(event);
        else kept.push(event);
      }
      this.backlog = kept;
    }
    if (this.wakeReader && this.hasRoom()) this.wakeReader();
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    const result = this.queue.next();
    if (this.wakeReader && this.hasRoom()) this.wakeReader();
    return result;
  }

  async return(): Promise<IteratorResult<RecordedEvent>> {
    this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(failure?: unknown): void {
    if (this.closed) return;
    this.queue.end(failure);
    this.dropBacklog();
    this.wakeReader?.();
    this.options.onClose(this);
  }

  /** Ends it for a failure while offering it an event (its filter threw): only this subscriber is affected. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.options.onError(error);
    this.close(error);
  }

  private get closed(): boolean {
    return this.queue.isEnded;
  }

  private enqueue(event: RecordedEvent): void {
    this.queue.push(event);
    this.lastQueuedKey = keyOf(this.selection, event);
  }

  private async catchUp(): Promise<void> {
    try {
      while (!this.closed) {
        await this.roomInQueue();
        if (this.closed) return;
        // Once the pool is spent, one event a page: slow, but every subscriber still moves on.
        const { pool } = this.options;
        const roomBytes = Math.max(1, Math.min(this.options.capacityBytes - this.queue.weight, pool?.free ?? Infinity));
        const fitting = Math.max(1, Math.floor(roomBytes / (this.largestEvent || UNMET_EVENT_BYTES)));
        const room = Math.min(this.options.capacity - this.queue.size, fitting);
        const readFrom = this.options.erasures.mark();
        // Taken from the pool while the page is read, so that subscribers starting together do not each read as if alone.
        pool?.add(roomBytes);
        let page: HistoryPage;
        try {
          page = await this.options.history(this.lastQueuedKey, room, roomBytes);
        } finally {
          pool?.add(-roomBytes);
        }
        if (this.closed) return;
        const erased = this.options.erasures.since(readFrom);
        if (erased === 'forgotten') continue;
        let largest = this.largestEvent / 2;
        for (const event of page.events) {
          largest = Math.max(largest, jsonSizeOf(event));
          if (!erased?.(event)) this.enqueue(event);
        }
        this.largestEvent = largest;
        this.lastQueuedKey = Math.max(this.lastQueuedKey, page.scannedTo);
        if (page.exhausted && this.joinLive()) return;
      }
    } catch (error) {
      this.options.onError(error);
      this.close(error);
    }
  }

  /**
   * Everything committed up to the last read is queued; what the tailer
   * offered meanwhile waits in the backlog. If none of that was dropped, the
   * backlog completes the picture and the subscriber is live again.
   */
  private joinLive(): boolean {
    if (this.backlogOverflowed) {
      this.backlogOverflowed = false;
      this.dropBacklog();
      return false;
    }
    const backlog = this.backlog;
    this.dropBacklog();
    this.mode = 'live';
    for (const event of backlog) this.offer(event);
    return true;
  }

  private dropBacklog(): void {
    this.backlog = [];
    this.backlogBytes = 0;
  }

  /** Room to read another page: the queue is down to half its bounds. */
  private hasRoom(): boolean {
    return this.queue.size <= this.options.capacity / 2 && this.queue.weight <= this.options.capacityBytes / 2;
  }

  private async roomInQueue(): Promise<void> {
    while (!this.closed && !this.hasRoom()) {
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
    this.wakeReader = undefined;
  }
}

/** The selection's own test, and the stream scope's when it leaves streams out. */
function scopedFilter(
  filter: ((event: RecordedEvent) => boolean) | null,
  scope: StreamScope,
): ((event: RecordedEvent) => boolean) | null {
  if (scope.isEveryStream) return filter;
  if (!filter) return (event) => scope.includes(event.streamId);
  return (event) => scope.includes(event.streamId) && filter(event);
}
