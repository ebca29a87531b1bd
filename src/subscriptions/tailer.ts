import { parseErasure, type Erasure } from '../store/erasures.js';
import type { EventStore } from '../store/event-store.js';
import { ChannelListener, type ListenSession } from './channel-listener.js';
import type { DeliveryObserver } from './delivery-observer.js';
import type { FanOutIndex } from './fan-out-index.js';
import type { RecentErasures } from './recent-erasures.js';

export interface TailerOptions {
  store: EventStore;
  index: FanOutIndex;
  /** A dedicated session on the leader to LISTEN on. */
  connect: () => Promise<ListenSession>;
  /** Reads also run this often, in case a notification is lost. Default 500 ms. */
  pollIntervalMs?: number;
  /** Events read per query. Default 500. */
  batchSize?: number;
  /** Bytes of event JSON read per query (the first event always comes). Default 8 MiB. */
  batchBytes?: number;
  log: (message: string) => void;
  /** Told of each event once every subscriber has been offered it (for /metrics). Default: nobody. */
  delivered?: DeliveryObserver;
  /** The erasures heard of so far: a read under way when one commits leaves out what it took. */
  erasures: RecentErasures;
  /** Told of each erasure another gateway (or this one) made, as the events channel tells it. */
  onErasure: (erasure: Erasure) => void;
}

/**
 * The one reader of a store's new events in this gateway. Woken by
 * LISTEN/NOTIFY (or the poll), it reads everything after its position in
 * batches and hands each event to the fan-out index. Positions are gapless
 * and commit-ordered, so reading after the last position never misses one.
 */
export class Tailer {
  private position = 0;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private readonly listener: ChannelListener;
  private poll: NodeJS.Timeout | undefined;
  private running = false;
  private starting: Promise<void> | undefined;
  /** Counts starts and stops: work begun in an earlier run sees the number moved on and stops. */
  private generation = 0;
  /** The read failure last logged: an outage (a failover) is told once, not on every poll. */
  private readTrouble: string | undefined;

  constructor(private readonly options: TailerOptions) {
    const { store, connect, log } = options;
    this.listener = new ChannelListener({
      connect,
      channels: [store.tables.channelIdentifier],
      onNotification: (notification) => {
        const erasure = parseErasure(notification.payload);
        if (erasure) options.onErasure(erasure);
        else this.wake();
      },
      // Anything committed since the head was read, or while the session was lost, is caught by this read.
      onListening: () => this.wake(),
      name: `tailer of store ${store.id}`,
      log,
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Starts reading after the current head, and listening. Whoever awaits
   * this may then read history up to any point: every event committed after
   * the head it saw will be dispatched, and every erasure committed from then
   * on is heard, unless the LISTEN failed or its session is lost (appends are
   * then found by the poll; erasures told meanwhile are not heard).
   * Concurrent callers share one start.
   */
  start(): Promise<void> {
    this.starting ??= this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    const generation = ++this.generation;
    this.running = true;
    const position = (await this.options.store.log.stats({ fromLeader: true })).headPosition;
    if (generation !== this.generation) return;
    this.position = position;
    this.poll = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 500);
    this.poll.unref();
    // Appends missed before the LISTEN are found by the poll; erasures are only told, so subscribers wait for it.
    await this.listener.start();
  }

  async stop(): Promise<void> {
    this.generation++;
    this.starting = undefined;
    this.running = false;
    clearInterval(this.poll);
    await this.listener.stop();
    await this.reading;
  }

  /** Reads now, or right after the read under way. */
  wake(): void {
    if (!this.running) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readNew(this.generation).finally(() => {
      this.reading = undefined;
      if (this.readAgain) {
        this.readAgain = false;
        this.wake();
      }
    });
  }

  private async readNew(generation: number): Promise<void> {
    const { store, index, batchSize = 500, batchBytes = 8 * 2 ** 20, delivered, erasures } = this.options;
    try {
      for (;;) {
        const readFrom = erasures.mark();
        const page = await store.log.readAll(
          { direction: 'forward', fromPosition: this.position + 1, eventTypes: undefined, streamPrefix: undefined, limit: batchSize, maxBytes: batchBytes },
          { fromLeader: true },
        );
        const erased = erasures.since(readFrom);
        if (erased === 'forgotten') continue;
        for (const event of page.items) {
          if (generation !== this.generation) return;
          if (!erased?.(event)) {
            index.dispatch(event);
            delivered?.(event.createdEpoch);
          }
          // Only now: an event is behind the tailer once every subscriber has been offered it.
          this.position = event.position;
        }
        if (!page.hasMore) break;
      }
      this.readTrouble = undefined;
    } catch (error) {
      const trouble = `tailer of store ${store.id}: read failed, retrying on the next poll: ${(error as Error).message}`;
      if (trouble !== this.readTrouble) this.options.log(trouble);
      this.readTrouble = trouble;
    }
  }
}
