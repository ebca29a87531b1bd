import DataLoader from 'dataloader';
import type pg from 'pg';
import { OncePerInterval } from '../once-per-interval.js';
import type { Erasure } from '../store/erasures.js';
import type { EventStore } from '../store/event-store.js';
import type { StreamScope } from '../store/stream-scope.js';
import type { DeliveryObservers } from './delivery-observer.js';
import type { BufferPool } from './buffer-pool.js';
import { FanOutIndex } from './fan-out-index.js';
import { batchedLeaderPages } from './batched-pages.js';
import { historyReader, type PageSource } from './history.js';
import { RecentErasures } from './recent-erasures.js';
import { SELECTION_KINDS, type Selection, type SelectionKind } from './selection.js';
import { Subscriber } from './subscriber.js';
import { Tailer } from './tailer.js';

/** Where a subscription starts; absent: with what is appended after it starts. */
export interface StartPoint {
  fromVersion?: number;
  fromPosition?: number;
}

const DEFAULT_SUBSCRIBER_CAPACITY = 1024;
const DEFAULT_SUBSCRIBER_CAPACITY_BYTES = 8 * 2 ** 20;

export interface LiveHubOptions {
  store: EventStore;
  connect: () => Promise<pg.Client>;
  /** Most events held per subscriber before it falls back to reading the database. Default 1024. */
  subscriberCapacity?: number;
  /** Most bytes of event JSON held per subscriber before it falls back to reading the database; also bounds a page the tailer reads. Default 8 MiB. */
  subscriberCapacityBytes?: number;
  /** The bound all subscribers keep to together, shared with other stores' hubs. Default: none. */
  bufferPool?: BufferPool;
  pollIntervalMs?: number;
  log: (message: string) => void;
  /** Gives the store's tailer the observer of its deliveries (for /metrics). Default: none. */
  observeDelivery?: DeliveryObservers;
}

/**
 * A store's live subscriptions in this gateway: one tailer and one fan-out
 * index shared by all of them. The tailer runs while anyone subscribes.
 */
export class LiveHub {
  private readonly index = new FanOutIndex();
  private readonly tailer: Tailer;
  private readonly pages: PageSource;
  private readonly counts = new Map<SelectionKind, number>(SELECTION_KINDS.map((kind) => [kind, 0]));
  private joining = 0;
  private readonly erasures = new RecentErasures();
  private readonly stopHearingErasures: () => void;
  /** Subscribers failing alike (an exhausted pool fails thousands at once) are one log line. */
  private readonly failures = new OncePerInterval();
  /**
   * Subscriptions that start in the same tick (a client opening thousands at
   * once) read where they start in one query, not one each. Each read is sent
   * after every caller in its batch arrived, so none starts before its request.
   */
  private readonly streamVersions = new DataLoader<string, number>(
    (streamIds) => this.options.store.log.streamVersions(streamIds, { fromLeader: true }),
    { cache: false, maxBatchSize: 1_000 },
  );
  private readonly headPositions = new DataLoader<'head', number>(
    async (keys) => {
      const { headPosition } = await this.options.store.log.stats({ fromLeader: true });
      return keys.map(() => headPosition);
    },
    { cache: false },
  );

  constructor(private readonly options: LiveHubOptions) {
    this.pages = batchedLeaderPages(options.store.log, options.subscriberCapacity ?? DEFAULT_SUBSCRIBER_CAPACITY);
    this.tailer = new Tailer({
      store: options.store,
      index: this.index,
      connect: options.connect,
      pollIntervalMs: options.pollIntervalMs,
      batchBytes: options.subscriberCapacityBytes ?? DEFAULT_SUBSCRIBER_CAPACITY_BYTES,
      log: options.log,
      delivered: options.observeDelivery?.(options.store.id),
      erasures: this.erasures,
      onErasure: (erasure) => this.erase(erasure),
    });
    this.stopHearingErasures = options.store.erasures.listen((erasure) => this.erase(erasure));
  }

  get tailerRunning(): boolean {
    return this.tailer.isRunning;
  }

  countsByKind(): ReadonlyMap<SelectionKind, number> {
    return this.counts;
  }

  /**
   * Only events of streams in `scope` reach the subscriber, from history and
   * live alike. `onEnd` runs once when it ends, however it ends.
   */
  async subscribe(selection: Selection, start: StartPoint, scope: StreamScope, onEnd?: () => void): Promise<Subscriber> {
    const { store, subscriberCapacity = DEFAULT_SUBSCRIBER_CAPACITY, subscriberCapacityBytes = DEFAULT_SUBSCRIBER_CAPACITY_BYTES, log } = this.options;
    this.joining++;
    try {
      // The tailer's head must be read before this subscriber's history, or
      // events committed between the two would reach neither.
      await this.tailer.start();
      const subscriber = new Subscriber({
        selection,
        startAfter: await this.startKey(selection, start),
        scope,
        history: historyReader(this.pages, selection, scope),
        capacity: subscriberCapacity,
        capacityBytes: subscriberCapacityBytes,
        pool: this.options.bufferPool,
        erasures: this.erasures,
        onClose: (closed) => {
          this.release(closed);
          onEnd?.();
        },
        onError: (error) => {
          const message = `subscription to store ${store.id} failed: ${(error as Error)?.message ?? String(error)}`;
          const admitted = this.failures.admit(message);
          if (admitted) log(`${message}${OncePerInterval.suffix(admitted)}`);
        },
      });
      this.index.add(subscriber);
      this.counts.set(selection.kind, this.counts.get(selection.kind)! + 1);
      return subscriber;
    } finally {
      this.joining--;
      this.stopTailerIfIdle();
    }
  }

  async stop(): Promise<void> {
    this.stopHearingErasures();
    await this.tailer.stop();
  }

  /**
   * An erasure made through this gateway (before it is answered) or heard
   * of from another: nobody here gets its events from now on, whether held
   * for a subscriber or brought back by a read under way.
   */
  private erase(erasure: Erasure): void {
    if (!this.erasures.add(erasure)) return;
    for (const recipient of this.index.concerning(erasure.streamId)) recipient.forget(erasure);
  }

  private release(subscriber: Subscriber): void {
    this.index.remove(subscriber);
    this.counts.set(subscriber.selection.kind, this.counts.get(subscriber.selection.kind)! - 1);
    this.stopTailerIfIdle();
  }

  /** Subscribers still joining count too: the tailer they started must not stop under them. */
  private stopTailerIfIdle(): void {
    if (this.index.size === 0 && this.joining === 0) void this.tailer.stop();
  }

  /** The key just before the first event to deliver: the start point, or the log's end right now. */
  private async startKey(selection: Selection, { fromVersion, fromPosition }: StartPoint): Promise<number> {
    const { store } = this.options;
    if (selection.kind !== 'stream') {
      if (fromPosition !== undefined) return fromPosition - 1;
      return this.headPositions.load('head');
    }
    if (fromVersion !== undefined) return fromVersion - 1;
    const current = await this.streamVersions.load(selection.streamId);
    if (fromPosition === undefined) return current;
    const first = await store.log.firstVersionFrom(selection.streamId, fromPosition);
    return first === null ? current : first - 1;
  }
}
