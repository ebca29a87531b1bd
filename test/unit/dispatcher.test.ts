import { afterEach, describe, expect, it, vi } from 'vitest';
import { SubscriptionNotFoundError } from '../../src/store/errors.js';
import type { ReadAllOptions } from '../../src/store/log/read-all.js';
import type { StoredSubscription } from '../../src/store/persistent/types.js';
import type { RecordedEvent } from '../../src/store/types.js';
import { Consumer, type PersistentDelivery } from '../../src/subscriptions/persistent/consumer.js';
import { Dispatcher, type DispatcherStore } from '../../src/subscriptions/persistent/dispatcher.js';
import { Inbox, settled } from '../support/inbox.js';
import { recordedEvent } from '../support/recorded-event.js';

const GATEWAY = 'gateway-1';

interface Lease {
  consumerId: string;
  event: RecordedEvent;
  deliveries: number;
}

/**
 * One `$all` subscription's rows and the log, kept in memory: the read
 * cursor, the leases, and the events waiting for redelivery. Another
 * gateway's work is whatever a test does to these fields directly.
 */
class FakeStore implements DispatcherStore {
  readonly id = 'default';
  readonly events: RecordedEvent[] = [];
  readPosition: number;
  maxInFlight: number;
  removed = false;
  readonly leases = new Map<string, Lease>();
  /** Handed back or timed out, in position order. */
  due: Omit<Lease, 'consumerId'>[] = [];
  readonly released: string[] = [];
  private claims = 0;

  constructor(subscription: StoredSubscription) {
    this.readPosition = subscription.readPosition;
    this.maxInFlight = subscription.maxInFlight;
  }

  append(count: number): void {
    for (let i = 0; i < count; i++) this.events.push(recordedEvent(this.events.length + 1));
  }

  ack(eventId: string): void {
    this.leases.delete(eventId);
  }

  readonly log: DispatcherStore['log'] = {
    readStream: () => Promise.reject(new Error('a $all subscription reads no stream')),
    readAll: async ({ fromPosition = 0, limit }: ReadAllOptions) => {
      const rest = this.events.filter((event) => event.position >= fromPosition);
      return { items: rest.slice(0, limit), hasMore: rest.length > limit };
    },
    stats: async () => ({ streamCount: 1, eventCount: this.events.length, headPosition: this.events.length }),
  };

  readonly persistent: DispatcherStore['persistent'] = {
    claimDue: async ({ slots }) => {
      this.count();
      if (this.removed) return null;
      const deliveries = this.due.splice(0, slots.length).map(({ event, deliveries }, index) => {
        const consumerId = slots[index]!;
        this.leases.set(event.id, { consumerId, event, deliveries: deliveries + 1 });
        return { consumerId, event, retryCount: deliveries };
      });
      return { settings: { maxRetries: 5, ackTimeoutMs: 30_000, maxInFlight: this.maxInFlight }, readPosition: this.readPosition, deliveries };
    },
    claimFresh: async ({ from, to, events, consumerIds }) => {
      this.count();
      if (from !== this.readPosition) return { moved: false, erased: [] };
      this.readPosition = to;
      events.forEach((event, index) => this.leases.set(event.id, { consumerId: consumerIds[index]!, event, deliveries: 1 }));
      return { moved: true, erased: [] };
    },
    releaseConsumer: async (_subscription, consumerId) => {
      this.released.push(consumerId);
      const held = [...this.leases.values()].filter((lease) => lease.consumerId === consumerId);
      for (const { event, deliveries } of held) {
        this.leases.delete(event.id);
        this.due.push({ event, deliveries });
      }
      this.due.sort((a, b) => a.event.position - b.event.position);
      return held.length;
    },
    gatewayLeases: async () => [...this.leases].map(([eventId, { consumerId }]) => ({ consumerId, eventId, remainingMs: 30_000 })),
  };

  /** A dispatcher that claims over and over without end would never let the test finish. */
  private count(): void {
    if (++this.claims > 200) throw new Error('more than 200 claims');
  }
}

const dispatchers: Dispatcher[] = [];
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((dispatcher) => dispatcher.stop()));
});

function setUp({ maxInFlight = 10, readPosition = 0 } = {}) {
  const subscription: StoredSubscription = {
    name: 'orders',
    type: 'by_stream',
    selector: '$all',
    pattern: null,
    startFrom: null,
    maxRetries: 5,
    ackTimeoutMs: 30_000,
    maxInFlight,
    readPosition,
    incarnation: '1',
  };
  const store = new FakeStore(subscription);
  const onIdle = vi.fn();
  const dispatcher = new Dispatcher({ store, subscription, gatewayId: GATEWAY, onIdle, log: () => {} });
  dispatchers.push(dispatcher);
  const connect = () => {
    const consumer = new Consumer((gone) => dispatcher.remove(gone));
    dispatcher.add(consumer);
    return { consumer, inbox: new Inbox<PersistentDelivery>(consumer) };
  };
  /** What the hub does on an ack. */
  const ack = (consumer: Consumer, delivery: PersistentDelivery) => {
    store.ack(delivery.event.id);
    dispatcher.leaseEnded(consumer.id, delivery.event.id);
  };
  return { store, dispatcher, connect, ack, onIdle };
}

const positions = (deliveries: readonly PersistentDelivery[]) => deliveries.map((delivery) => delivery.event.position);
const retried = (deliveries: readonly PersistentDelivery[]) => deliveries.map((delivery) => [delivery.event.position, delivery.retryCount]);

describe('Dispatcher claims', () => {
  it('hand each consumer no more than maxInFlight events, and one more for each ack', async () => {
    const { store, connect, ack } = setUp({ maxInFlight: 2 });
    store.append(10);
    const a = connect();
    const b = connect();
    const toA = await a.inbox.take();
    const toB = await b.inbox.take();
    expect([toA.length, toB.length]).toEqual([2, 2]);
    expect([...positions(toA), ...positions(toB)].sort((x, y) => x - y)).toEqual([1, 2, 3, 4]);

    ack(a.consumer, toA[0]!);
    expect(positions(await a.inbox.take())).toEqual([5]);
    expect(await b.inbox.take()).toEqual([]);
  });

  it('spread events round robin, so that single events do not all go to the same consumer', async () => {
    const { store, dispatcher, connect } = setUp();
    const a = connect();
    const b = connect();
    await settled();
    for (let i = 0; i < 4; i++) {
      store.append(1);
      dispatcher.wakeForAppends();
      await settled();
    }
    expect(positions(await a.inbox.take())).toHaveLength(2);
    expect(positions(await b.inbox.take())).toHaveLength(2);
  });

  it('redeliver due events first, with their retry count, and fill only the room left with new ones', async () => {
    const { store, connect } = setUp({ maxInFlight: 2, readPosition: 2 });
    store.append(4);
    store.due = [{ event: store.events[0]!, deliveries: 1 }];
    const a = connect();
    expect(retried(await a.inbox.take())).toEqual([
      [1, 1],
      [3, 0],
    ]);
  });

  it('continue from where another gateway moved the cursor, without delivering what it took', async () => {
    const { store, dispatcher, connect } = setUp();
    const a = connect();
    await settled();
    store.append(6);
    store.readPosition = 4;
    dispatcher.wakeForAppends();
    expect(positions(await a.inbox.take())).toEqual([5, 6]);
  });

  it('hand the events of a consumer that leaves to another, as redeliveries', async () => {
    const { store, connect, ack } = setUp({ maxInFlight: 2 });
    store.append(3);
    const a = connect();
    expect(positions(await a.inbox.take())).toEqual([1, 2]);
    const b = connect();
    const third = await b.inbox.take();
    expect(positions(third)).toEqual([3]);

    await a.consumer.return();
    expect(store.released).toEqual([a.consumer.id]);
    expect(retried(await b.inbox.take())).toEqual([[1, 1]]);
    ack(b.consumer, third[0]!);
    expect(retried(await b.inbox.take())).toEqual([[2, 1]]);
  });

  it('end their consumers with SubscriptionNotFoundError once the subscription is gone', async () => {
    const { store, dispatcher, connect, onIdle } = setUp();
    store.removed = true;
    const a = connect();
    const ended = await a.inbox.take().catch((error: unknown) => error);
    expect(ended).toBeInstanceOf(SubscriptionNotFoundError);
    expect((ended as SubscriptionNotFoundError).subscription).toBe('orders');
    expect(onIdle).toHaveBeenCalledWith(dispatcher);
  });
});
