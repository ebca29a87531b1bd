import type pg from 'pg';
import { ClusterUnavailableError, isClusterFault } from '../../cluster/cluster-errors.js';
import { parseErasure, type Erasure } from '../../store/erasures.js';
import type { EventStore } from '../../store/event-store.js';
import { GroupCommitter } from '../../store/log/group-commit.js';
import { parseNotice } from '../../store/persistent/notices.js';
import type { Heartbeat } from '../../store/persistent/heartbeat-consumers.js';
import type { AckRequest, NackAction, SettleOutcome, SubscriptionStatus } from '../../store/persistent/types.js';
import { ChannelListener } from '../channel-listener.js';
import { RecentErasures } from '../recent-erasures.js';
import { Consumer } from './consumer.js';
import { Dispatcher } from './dispatcher.js';

/** Most acks applied by one statement. */
const MAX_ACK_BATCH = 1_000;

export interface PersistentHubOptions {
  store: EventStore;
  gatewayId: string;
  /** A dedicated session on the leader, for LISTEN. */
  connect: () => Promise<pg.Client>;
  /** Every dispatcher also looks for work this often (leases of a gateway that is gone, a lost notification). */
  pollIntervalMs: number;
  /** How often this gateway marks its consumers as still connected. */
  heartbeatMs: number;
  log: (message: string) => void;
}

/**
 * The persistent subscriptions of one store in this gateway: a dispatcher
 * per subscription with consumers here, one LISTEN session for the store's
 * event and persistent channels while any dispatcher runs, a poll, and the
 * ack batcher: acks that arrive while a batch is being written go together
 * in the next one, a single statement, and each is answered from its result
 * once it committed.
 */
export class PersistentHub {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly listener: ChannelListener;
  private readonly acks: GroupCommitter<AckRequest, SettleOutcome>;
  private readonly settling = new Set<Promise<unknown>>();
  private poll: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly erasures = new RecentErasures();
  private readonly stopHearingErasures: () => void;

  constructor(private readonly options: PersistentHubOptions) {
    const { store, gatewayId, connect, log } = options;
    this.acks = new GroupCommitter({
      commit: (requests, since) => store.persistent.ackEvents(gatewayId, requests, since),
      sizeOf: () => 1,
      maxBatchSize: MAX_ACK_BATCH,
      retryAlone: (error) => !isClusterFault(error),
    });
    this.listener = new ChannelListener({
      connect,
      channels: [store.tables.channelIdentifier, store.tables.persistentChannelIdentifier],
      onNotification: (notification) => this.heard(notification),
      onListening: () => this.wakeAll(),
      name: `persistent subscriptions of store ${store.id}`,
      log,
    });
    this.stopHearingErasures = store.erasures.listen((erasure) => this.erase(erasure));
  }

  /** Consumers connected here, over all subscriptions. */
  get consumerCount(): number {
    let count = 0;
    for (const dispatcher of this.dispatchers.values()) count += dispatcher.consumerCount;
    return count;
  }

  /**
   * A new consumer of a subscription, whose deliveries only acks and nacks
   * carrying `ackKey` settle; null when there is no such subscription.
   */
  async consume(name: string, ackKey: Buffer): Promise<Consumer | null> {
    const { store, gatewayId } = this.options;
    let owner: Dispatcher | undefined;
    const consumer = new Consumer((gone) => owner?.remove(gone) ?? Promise.resolve());
    const subscription = await store.persistent.registerConsumer(name, consumer.id, gatewayId, ackKey);
    if (!subscription) return null;
    consumer.registeredAt = performance.now();
    let dispatcher = this.dispatchers.get(name);
    // Serving another life of the name, one removed since: that one's consumers end (once this one is in its
    // place), whether or not a claim of theirs has found out yet (a consumer with no room makes none).
    const removed = dispatcher && dispatcher.incarnation !== subscription.incarnation ? dispatcher : undefined;
    if (!dispatcher || removed) {
      dispatcher = new Dispatcher({
        store,
        subscription,
        gatewayId,
        onIdle: (idle) => this.forget(idle),
        erasures: this.erasures,
        log: this.options.log,
      });
      this.dispatchers.set(name, dispatcher);
      this.startServing();
    }
    removed?.removed();
    owner = dispatcher;
    dispatcher.add(consumer);
    return consumer;
  }

  /** Acks (or skips) an event: done for good, when `ackKey` is that of the consumer holding it. */
  ack(subscription: string, eventId: string, ackKey: Buffer | null): Promise<SettleOutcome> {
    return this.settle(subscription, eventId, this.acks.submit({ subscription, eventId, ackKey }));
  }

  /**
   * retry: delivered again (to any consumer); park: set aside with `reason`; skip: done, as if acked.
   * Only with the key of the consumer holding it.
   */
  async nack(subscription: string, eventId: string, ackKey: Buffer | null, action: NackAction, reason: string | null): Promise<SettleOutcome> {
    if (action === 'skip') return this.ack(subscription, eventId, ackKey);
    const { store, gatewayId } = this.options;
    const request = { subscription, eventId, action, reason, ackKey };
    // A retried event is due now: a consumer here may take it without waiting for the notification, before newer ones.
    return this.settle(subscription, eventId, store.persistent.nackEvent(gatewayId, request), action === 'retry');
  }

  /** The store's subscriptions (or the one named) with their counts; consumers whose gateway stopped marking them are not counted. */
  list(options: { name?: string } = {}): Promise<SubscriptionStatus[]> {
    return this.options.store.persistent.list({ ...options, consumerStaleMs: this.options.heartbeatMs * 3 });
  }

  /** Ends the consumers here and hands what they held back to the other gateways. */
  async stop(): Promise<void> {
    this.stopHearingErasures();
    this.stopServing();
    const dispatchers = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
    await Promise.allSettled(this.settling);
    if (dispatchers.length > 0) await this.options.store.persistent.releaseGateway(this.options.gatewayId);
  }

  /** Once the database has the ack or nack, frees the room its consumer here had taken; `becameDue`: the event is to be delivered again. */
  private async settle(subscription: string, eventId: string, settled: Promise<SettleOutcome>, becameDue = false): Promise<SettleOutcome> {
    this.settling.add(settled);
    try {
      const outcome = await settled;
      if (outcome.kind !== 'settled') return outcome;
      const dispatcher = this.dispatchers.get(subscription);
      // Known to be due before the freed room is claimed, so that the room goes to it rather than to a newer event.
      if (becameDue) dispatcher?.wake();
      if (outcome.lease.gatewayId === this.options.gatewayId && outcome.lease.consumerId) dispatcher?.leaseEnded(outcome.lease.consumerId, eventId);
      return outcome;
    } finally {
      this.settling.delete(settled);
    }
  }

  private heard(notification: pg.Notification): void {
    if (notification.channel !== this.options.store.tables.persistentChannel) {
      const erasure = parseErasure(notification.payload);
      if (erasure) return this.erase(erasure);
      for (const dispatcher of this.dispatchers.values()) dispatcher.wakeForAppends();
      return;
    }
    const notice = parseNotice(notification.payload);
    const dispatcher = notice && this.dispatchers.get(notice.subscription);
    if (!dispatcher) return;
    if (notice.removed !== null) {
      if (notice.removed === dispatcher.incarnation) dispatcher.removed();
      return;
    }
    if (notice.gateway === this.options.gatewayId) dispatcher.resync();
    else dispatcher.wake();
  }

  /** An erasure made here (before it is answered) or heard of from another gateway: no consumer here gets its events from now on. */
  private erase(erasure: Erasure): void {
    if (!this.erasures.add(erasure)) return;
    for (const dispatcher of this.dispatchers.values()) dispatcher.forget(erasure);
  }

  private wakeAll(): void {
    for (const dispatcher of this.dispatchers.values()) dispatcher.wake();
  }

  /**
   * What a heartbeat found. A dispatcher whose subscription it did not find is serving one that was
   * removed (its notice is on its way, or was lost with a LISTEN session): its consumers end with
   * SUBSCRIPTION_NOT_FOUND. The other consumers here that were recorded before the heartbeat was sent
   * and that it did not mark were forgotten by another gateway while this one could not mark them
   * (paused, or cut off from the database past `forgetAfterMs`). Their acks would all answer false;
   * subscribed again, they are recorded anew.
   */
  private heartbeatAnswered(sent: readonly Dispatcher[], heartbeat: Heartbeat, sentAt: number, forgetAfterMs: number): void {
    for (const dispatcher of sent) {
      const stillServed = this.dispatchers.get(dispatcher.name) === dispatcher;
      if (stillServed && heartbeat.incarnations.get(dispatcher.name) !== dispatcher.incarnation) dispatcher.removed();
    }
    const marked = new Set(heartbeat.marked);
    const error = new ClusterUnavailableError(
      `this gateway could not mark its persistent consumers for over ${forgetAfterMs / 1000} s and another forgot them: subscribe again`,
    );
    for (const dispatcher of this.dispatchers.values()) dispatcher.endConsumers((consumer) => consumer.registeredAt < sentAt && !marked.has(consumer.id), error);
  }

  private forget(dispatcher: Dispatcher): void {
    if (this.dispatchers.get(dispatcher.name) === dispatcher) this.dispatchers.delete(dispatcher.name);
    if (this.dispatchers.size === 0) this.stopServing();
  }

  private startServing(): void {
    if (this.poll) return;
    const { store, gatewayId, pollIntervalMs, heartbeatMs, log } = this.options;
    void this.listener.start();
    this.poll = setInterval(() => this.wakeAll(), pollIntervalMs);
    this.poll.unref();
    const forgetAfterMs = heartbeatMs * 12;
    this.heartbeat = setInterval(() => {
      const sentAt = performance.now();
      const sent = [...this.dispatchers.values()];
      const served = sent.map((dispatcher) => dispatcher.name);
      store.persistent.heartbeatConsumers(gatewayId, forgetAfterMs, served).then(
        (heartbeat) => this.heartbeatAnswered(sent, heartbeat, sentAt, forgetAfterMs),
        (error: Error) => log(`persistent consumers of store ${store.id}: heartbeat failed (${error.message})`),
      );
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  private stopServing(): void {
    clearInterval(this.poll);
    clearInterval(this.heartbeat);
    this.poll = undefined;
    this.heartbeat = undefined;
    void this.listener.stop();
  }
}
