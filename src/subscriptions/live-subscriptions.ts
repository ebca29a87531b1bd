import type pg from 'pg';
import type { EventStore } from '../store/event-store.js';
import { BufferPool } from './buffer-pool.js';
import type { DeliveryObservers } from './delivery-observer.js';
import { LiveHub, type StartPoint } from './live-hub.js';
import { SELECTION_KINDS, type Selection, type SelectionKind } from './selection.js';
import type { Subscriber } from './subscriber.js';

export interface LiveGauges {
  /** Active live subscriptions, by kind. */
  subscriptions: Record<SelectionKind, number>;
  /** Tailers reading a store's new events right now (one per store with subscribers). */
  tailers: number;
}

export interface LiveSubscriptionsOptions {
  stores: readonly EventStore[];
  connect: () => Promise<pg.Client>;
  subscriberCapacity?: number;
  subscriberCapacityBytes?: number;
  /** Most bytes of event JSON all subscribers hold together, over every store. Default: no bound but each subscriber's. */
  subscribersCapacityBytes?: number;
  pollIntervalMs?: number;
  log: (message: string) => void;
  /** Gives each store's tailer the observer of its deliveries (for /metrics). Default: none. */
  observeDelivery?: DeliveryObservers;
}

/** The live subscriptions of every store in this gateway. */
export class LiveSubscriptions {
  private readonly hubs: Map<string, LiveHub>;

  constructor(options: LiveSubscriptionsOptions) {
    const bufferPool = options.subscribersCapacityBytes === undefined ? undefined : new BufferPool(options.subscribersCapacityBytes);
    this.hubs = new Map(options.stores.map((store) => [store.id, new LiveHub({ ...options, store, bufferPool })]));
  }

  /**
   * A live subscription to a store, seen as the store is: a store scoped to
   * some streams (EventStore.scopedTo) yields only their events, history and live.
   */
  subscribe(store: EventStore, selection: Selection, start: StartPoint, onEnd?: () => void): Promise<Subscriber> {
    return this.hubs.get(store.id)!.subscribe(selection, start, store.scope, onEnd);
  }

  gauges(): LiveGauges {
    const subscriptions = Object.fromEntries(SELECTION_KINDS.map((kind) => [kind, 0])) as Record<SelectionKind, number>;
    let tailers = 0;
    for (const hub of this.hubs.values()) {
      for (const [kind, count] of hub.countsByKind()) subscriptions[kind] += count;
      if (hub.tailerRunning) tailers++;
    }
    return { subscriptions, tailers };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.hubs.values()].map((hub) => hub.stop()));
  }
}
