import type { EventLog } from '../../store/log/event-log.js';
import type { PersistentStore } from '../../store/persistent/persistent-store.js';
import type { ClaimedDelivery, StoredSubscription, SubscriptionSettings } from '../../store/persistent/types.js';
import type { Erasure } from '../../store/erasures.js';
import { SubscriptionNotFoundError } from '../../store/errors.js';
import { historyReader, leaderPages, type LogReads } from '../history.js';
import type { Consumer } from './consumer.js';
import { deliverySlots } from './delivery-slots.js';
import { RecentErasures, type ErasedSince } from '../recent-erasures.js';
import { LogReadAhead } from './log-read-ahead.js';
import { selectionOf } from './selection-of.js';

/** Events read from the log per query, ahead of the claims. */
const READ_AHEAD = 500;

/** The part of a store a dispatcher uses: log reads ahead of its claims, and the claims and releases themselves. */
export interface DispatcherStore {
  readonly id: string;
  readonly log: LogReads & Pick<EventLog, 'stats'>;
  readonly persistent: Pick<PersistentStore, 'claimDue' | 'claimFresh' | 'releaseConsumer' | 'gatewayLeases'>;
}

export interface DispatcherOptions {
  store: DispatcherStore;
  /** The subscription as it was when its first consumer here connected. */
  subscription: StoredSubscription;
  gatewayId: string;
  /** Called when its last consumer is gone. */
  onIdle: (dispatcher: Dispatcher) => void;
  /** The erasures its store's hub heard of, so that a claim under way when one commits hands out none of its events. Default: none heard. */
  erasures?: RecentErasures;
  log: (message: string) => void;
}

/**
 * One subscription's deliveries to its consumers on this gateway. Each time
 * it is woken (a consumer came or acked, events were appended, leases ran
 * out, another gateway changed something) it claims as many deliveries as
 * its consumers have room for, in one transaction, and hands them out round
 * robin. Its work runs one step at a time, so claims, releases and the
 * bookkeeping of leases never interleave.
 */
export class Dispatcher {
  readonly name: string;
  /** Which life of the name it serves: a subscription removed and saved again is served by another dispatcher. */
  readonly incarnation: string;
  private readonly consumers: Consumer[] = [];
  private settings: SubscriptionSettings;
  private readonly readAhead: LogReadAhead;
  private rotation = 0;
  private running: Promise<void> | undefined;
  private runAgain = false;
  private resyncWanted = false;
  /** False only while nothing but appends woke it: then a claim with no new candidates from the log would find nothing. */
  private dueMaybe = true;
  private releases: { consumer: Consumer; done: () => void }[] = [];
  private deadlineTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly erasures: RecentErasures;

  constructor(private readonly options: DispatcherOptions) {
    const { subscription, store } = options;
    this.name = subscription.name;
    this.incarnation = subscription.incarnation;
    this.settings = subscription;
    this.erasures = options.erasures ?? new RecentErasures();
    const head = async () => (await store.log.stats({ fromLeader: true })).headPosition;
    this.readAhead = new LogReadAhead(historyReader(leaderPages(store.log), selectionOf(subscription)), subscription.readPosition, head);
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  add(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.wake();
  }

  /** Takes a consumer out and hands its leases back; resolves once they are back. */
  remove(consumer: Consumer): Promise<void> {
    const index = this.consumers.indexOf(consumer);
    if (index === -1) return Promise.resolve();
    this.consumers.splice(index, 1);
    const released = new Promise<void>((done) => this.releases.push({ consumer, done }));
    this.wake();
    return released;
  }

  /** An ack or nack ended a lease held by one of its consumers. */
  leaseEnded(consumerId: string, eventId: string): void {
    const consumer = this.consumers.find((candidate) => candidate.id === consumerId);
    // Room for new events; nothing became due.
    if (consumer?.held.delete(eventId)) this.schedule();
  }

  /** Another gateway ended leases of this gateway: look at what the database says its consumers hold. */
  resync(): void {
    this.resyncWanted = true;
    this.wake();
  }

  /** Something may be due or there may be room: work now, or right after the work under way. */
  wake(): void {
    this.dueMaybe = true;
    this.schedule();
  }

  /** Events were appended: worth a claim only if it selects some of them. */
  wakeForAppends(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.runAgain = true;
      return;
    }
    this.running = this.work().finally(() => {
      this.running = undefined;
      if (this.runAgain) this.schedule();
    });
  }

  /** Ends every consumer (they complete) and waits for the work under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.deadlineTimer);
    for (const consumer of this.consumers.splice(0)) consumer.end();
    await this.running;
    for (const { done } of this.releases.splice(0)) done();
  }

  private async work(): Promise<void> {
    try {
      do {
        this.runAgain = false;
        await this.releasePending();
        if (this.resyncWanted) await this.resyncLeases();
        while (!this.stopped && (await this.claim()));
      } while (this.runAgain && !this.stopped);
    } catch (error) {
      this.options.log(`persistent subscription "${this.name}" in store ${this.options.store.id}: ${(error as Error).message}; trying again on the next poll`);
    }
    this.scheduleDeadline();
  }

  private async releasePending(): Promise<void> {
    for (const { consumer, done } of this.releases.splice(0)) {
      try {
        await this.options.store.persistent.releaseConsumer(this.name, consumer.id);
      } catch (error) {
        // Its leases run out in ackTimeoutMs all the same; a consumer that left need not wait for the database.
        this.options.log(`persistent subscription "${this.name}": cannot hand back the events of a consumer that left (${(error as Error).message})`);
      }
      done();
    }
    if (this.consumers.length === 0 && !this.stopped) this.options.onIdle(this);
  }

  private async resyncLeases(): Promise<void> {
    this.resyncWanted = false;
    const leases = await this.options.store.persistent.gatewayLeases(this.name, this.options.gatewayId);
    const stillHeld = new Set(leases.map((lease) => `${lease.consumerId}/${lease.eventId}`));
    // Only removals: every lease this gateway gains comes from its own claims, which cannot run meanwhile.
    for (const consumer of this.consumers) {
      for (const eventId of consumer.held.keys()) if (!stillHeld.has(`${consumer.id}/${eventId}`)) consumer.held.delete(eventId);
    }
  }

  /**
   * One claim, the due events first (when any may be due), then new ones
   * from the log; true when another claim may find more to deliver.
   */
  private async claim(): Promise<boolean> {
    const start = this.rotation++;
    let slots = this.freeSlots(start);
    if (slots.length === 0) return false;
    const { store, gatewayId } = this.options;
    let handedOut = 0;
    if (this.dueMaybe) {
      this.dueMaybe = false;
      const claimedFrom = this.erasures.mark();
      const due = await store.persistent.claimDue({ subscription: this.name, incarnation: this.incarnation, gatewayId, slots });
      if (!due) {
        this.removed();
        return false;
      }
      this.settings = due.settings;
      this.readAhead.moveTo(due.readPosition);
      this.deliver(withoutErased(due.deliveries, this.erasures.since(claimedFrom)), due.settings.ackTimeoutMs);
      if (due.deliveries.length === slots.length) {
        // Room ran out before what was due did: more may be due once there is room again.
        this.dueMaybe = true;
        return true;
      }
      handedOut = due.deliveries.length;
    }
    await this.readAhead.fill(Math.max(READ_AHEAD, slots.length));
    // Asked again after the reads: a consumer that came meanwhile gets its share of the new events.
    slots = this.freeSlots(start + handedOut);
    if (slots.length === 0) return false;
    const from = this.readAhead.cursor;
    const { events, readPosition } = this.readAhead.take(slots.length);
    if (readPosition === from) return false;
    const consumerIds = slots.slice(0, events.length);
    const { ackTimeoutMs } = this.settings;
    const claimedFrom = this.erasures.mark();
    const claimed = await store.persistent.claimFresh({ subscription: this.name, incarnation: this.incarnation, gatewayId, from, to: readPosition, events, consumerIds, ackTimeoutMs });
    if (!claimed.moved) {
      // Another gateway moved the cursor first: the next claim learns where it is now.
      this.dueMaybe = true;
      return true;
    }
    this.readAhead.moveTo(readPosition);
    const erased = new Set(claimed.erased);
    const deliveries = events.map((event, index) => ({ consumerId: consumerIds[index]!, event, retryCount: 0 }));
    const kept = erased.size === 0 ? deliveries : deliveries.filter((delivery) => !erased.has(delivery.event.id));
    this.deliver(withoutErased(kept, this.erasures.since(claimedFrom)), ackTimeoutMs);
    return events.length === slots.length || this.readAhead.mayHaveMore;
  }

  /** Who gets the next deliveries, one entry per delivery, by the room each consumer has now; round robin from `start`. */
  private freeSlots(start: number): string[] {
    const now = performance.now();
    const rooms = this.consumers.map((consumer) => ({ id: consumer.id, room: consumer.room(this.settings.maxInFlight, now) }));
    return deliverySlots(rooms, start);
  }

  /** Hands claimed deliveries to their consumers; each lease runs out `ackTimeoutMs` from now. */
  private deliver(deliveries: readonly ClaimedDelivery[], ackTimeoutMs: number): void {
    const deadline = performance.now() + ackTimeoutMs;
    for (const { consumerId, event, retryCount } of deliveries) {
      // A consumer that left during the claim is being released: its leases from this claim go back with the rest.
      this.consumers.find((consumer) => consumer.id === consumerId)?.deliver(event, retryCount, deadline);
    }
  }

  /**
   * An erasure heard of: its events still waiting for a consumer here are not
   * handed on, and their room goes to other deliveries. Their leases, if the
   * erasure did not take them, are dropped once due (claim-due.ts).
   */
  forget(erasure: Erasure): void {
    let dropped = false;
    for (const consumer of this.consumers) dropped = consumer.forget(erasure) || dropped;
    if (dropped) this.wake();
  }

  /** Ends the consumers `which` picks with `error`; what they held is handed back as when they leave. */
  endConsumers(which: (consumer: Consumer) => boolean, error: Error): void {
    for (const consumer of this.consumers.filter(which)) {
      consumer.end(error);
      void this.remove(consumer);
    }
  }

  /** The subscription it serves is gone: its consumers end with SUBSCRIPTION_NOT_FOUND, and it is idle. */
  removed(): void {
    for (const consumer of this.consumers.splice(0)) consumer.end(new SubscriptionNotFoundError(this.name));
    this.options.onIdle(this);
  }

  /** Wakes when the first lease held here runs out, so that its event is redelivered on time. */
  private scheduleDeadline(): void {
    clearTimeout(this.deadlineTimer);
    if (this.stopped) return;
    let earliest: number | undefined;
    for (const consumer of this.consumers) {
      const deadline = consumer.earliestDeadline();
      if (deadline !== undefined && (earliest === undefined || deadline < earliest)) earliest = deadline;
    }
    if (earliest === undefined) return;
    this.deadlineTimer = setTimeout(() => this.wake(), Math.max(0, earliest - performance.now()) + 1);
    this.deadlineTimer.unref();
  }
}

/**
 * The deliveries of a claim less those erased while it ran. A claim cannot be
 * made again, so one under way while erasures it may have missed were
 * forgotten (`forgotten`) hands out what it got; their leases are dropped
 * once due.
 */
function withoutErased(deliveries: readonly ClaimedDelivery[], erased: ErasedSince): readonly ClaimedDelivery[] {
  return typeof erased === 'function' ? deliveries.filter(({ event }) => !erased(event)) : deliveries;
}
