import { describe, expect, it, vi } from 'vitest';
import type { EventView } from '../support/queries.js';
import {
  PARKED_EVENTS,
  REPLAY_PARKED,
  consume,
  gatewayForFile,
  saveSubscription,
  subscriptionView,
  waitForConsumers,
  type DeliveryView,
  type PersistentConsumer,
  type SaveSubscriptionInput,
} from '../support/persistent.js';
import { appendSuccess, dataOf, newEvents, readAll } from '../support/test-gateway.js';

const env = gatewayForFile();

const ids = (events: readonly { id: string }[]) => events.map((event) => event.id);
const deliveredIds = (deliveries: readonly DeliveryView[]) => deliveries.map((delivery) => delivery.event.id);

/** Saves a subscription and starts one consumer on it, running before the test goes on. */
async function consumer(input: SaveSubscriptionInput, options: { autoAck?: boolean } = {}): Promise<PersistentConsumer> {
  await saveSubscription(env.gw, input);
  const sub = consume(env.ws, input.name, options);
  await waitForConsumers(env.gw, 1);
  return sub;
}

/**
 * Appends a marker event the subscription selects and waits for it as the
 * next delivery: had anything else been delivered meanwhile (a duplicate, an
 * event it does not select), it would show before the marker.
 */
async function expectNextIsMarker(sub: PersistentConsumer, streamId: string, type = 'Marker', data: unknown = {}): Promise<EventView> {
  const before = sub.events.length;
  const [marker] = (await appendSuccess(env.gw, { streamId, events: [{ type, data }] })).events;
  await sub.waitForEvents(before + 1);
  expect(deliveredIds(sub.events.slice(before))).toEqual([marker!.id]);
  return marker!;
}

describe('where a persistent subscription starts', () => {
  it('with startFrom delivers the history from that position (inclusive), then new events, in position order, with retryCount 0', async () => {
    await appendSuccess(env.gw, { streamId: 'history-a', events: newEvents(4) });
    await appendSuccess(env.gw, { streamId: 'history-b', events: newEvents(4) });
    const log = await readAll(env.gw);
    const from = log[2]!.position;
    const sub = await consumer({ name: 'from-history', type: 'BY_STREAM', selector: '$all', startFrom: from }, { autoAck: true });
    const live = await appendSuccess(env.gw, { streamId: 'history-c', events: newEvents(3) });

    const expected = [...log.slice(2), ...live.events];
    await sub.waitForEvents(expected.length);
    expect(deliveredIds(sub.events)).toEqual(ids(expected));
    expect(sub.events.map((delivery) => delivery.event)).toEqual(expected);
    expect(sub.events.every((delivery) => delivery.retryCount === 0)).toBe(true);
    await expectNextIsMarker(sub, 'history-c');
  });

  it('without startFrom delivers only the events appended after it was created, even to a consumer that connects later', async () => {
    await appendSuccess(env.gw, { streamId: 'late', events: newEvents(3) });
    await saveSubscription(env.gw, { name: 'from-end', type: 'BY_STREAM', selector: 'late' });
    const after = await appendSuccess(env.gw, { streamId: 'late', events: newEvents(2) });
    const sub = consume(env.ws, 'from-end', { autoAck: true });
    await sub.waitForEvents(2);
    expect(deliveredIds(sub.events)).toEqual(ids(after.events));
    await expectNextIsMarker(sub, 'late');
  });
});

describe('selectors', () => {
  it('BY_STREAM with a stream id delivers that stream only', async () => {
    const sub = await consumer({ name: 'one-stream', type: 'BY_STREAM', selector: 'orders-7' }, { autoAck: true });
    await appendSuccess(env.gw, { streamId: 'orders-70', events: newEvents(2) });
    const mine = await appendSuccess(env.gw, { streamId: 'orders-7', events: newEvents(2) });
    await appendSuccess(env.gw, { streamId: 'orders', events: newEvents(1) });
    await sub.waitForEvents(2);
    expect(deliveredIds(sub.events)).toEqual(ids(mine.events));
    await expectNextIsMarker(sub, 'orders-7');
  });

  it('BY_EVENT_TYPE delivers events of that type from every stream', async () => {
    const sub = await consumer({ name: 'by-type', type: 'BY_EVENT_TYPE', selector: 'Shipped' }, { autoAck: true });
    const first = await appendSuccess(env.gw, { streamId: 'type-1', events: [...newEvents(1, 'Shipped'), ...newEvents(1, 'Packed')] });
    const second = await appendSuccess(env.gw, { streamId: 'type-2', events: newEvents(2, 'Shipped') });
    await sub.waitForEvents(3);
    expect(deliveredIds(sub.events)).toEqual(ids([first.events[0]!, ...second.events]));
    await expectNextIsMarker(sub, 'type-3', 'Shipped');
  });

  it('BY_EVENT_PATTERN matches a deep subset of { streamId, type, data, metadata }, as live subscriptions do', async () => {
    const pattern = { type: 'Paid', data: { currency: 'EUR' } };
    const sub = await consumer({ name: 'by-pattern', type: 'BY_EVENT_PATTERN', pattern }, { autoAck: true });
    const written = await appendSuccess(env.gw, {
      streamId: 'pattern-1',
      events: [
        { type: 'Paid', data: { currency: 'EUR', amount: 5 } },
        { type: 'Paid', data: { currency: 'USD', amount: 5 } },
        { type: 'Refunded', data: { currency: 'EUR' } },
        { type: 'Paid', data: { currency: 'EUR', amount: 7 } },
      ],
    });
    await sub.waitForEvents(2);
    expect(deliveredIds(sub.events)).toEqual(ids([written.events[0]!, written.events[3]!]));
    await expectNextIsMarker(sub, 'pattern-2', 'Paid', { currency: 'EUR' });
  });

  it('BY_EVENT_PAYLOAD matches a deep subset of data', async () => {
    const sub = await consumer({ name: 'by-payload', type: 'BY_EVENT_PAYLOAD', pattern: { customer: { tier: 'gold' } } }, { autoAck: true });
    const written = await appendSuccess(env.gw, {
      streamId: 'payload-1',
      events: [
        { type: 'A', data: { customer: { tier: 'gold', id: 1 } } },
        { type: 'B', data: { customer: { tier: 'silver' } } },
        { type: 'C', data: { tier: 'gold' } },
      ],
    });
    await sub.waitForEvents(1);
    expect(deliveredIds(sub.events)).toEqual(ids([written.events[0]!]));
    await expectNextIsMarker(sub, 'payload-2', 'D', { customer: { tier: 'gold' } });
  });

  it('passes over the events it does not select once it is at the end of the log, so that its lag comes back to 0', async () => {
    const sub = await consumer({ name: 'lag-by-type', type: 'BY_EVENT_TYPE', selector: 'Wanted' }, { autoAck: true });
    await appendSuccess(env.gw, { streamId: 'lag-1', events: newEvents(1, 'Wanted') });
    await sub.waitForEvents(1);
    await Promise.all(sub.autoAcks);
    for (let append = 0; append < 3; append++) await appendSuccess(env.gw, { streamId: 'lag-2', events: newEvents(2, 'Ignored') });
    const lag = async () => {
      const { persistentSubscriptions } = dataOf(await env.gw.gql<{ persistentSubscriptions: { name: string; lag: number }[] }>('{ persistentSubscriptions { name lag } }'));
      return persistentSubscriptions.find((subscription) => subscription.name === 'lag-by-type')!.lag;
    };
    await vi.waitFor(async () => expect(await lag()).toBe(0), { timeout: 5_000, interval: 100 });
    await expectNextIsMarker(sub, 'lag-3', 'Wanted');
  });
});

describe('acks and nacks', () => {
  it('an acked event is done: the ack answers true, a second ack false, and it is never delivered again', async () => {
    const sub = await consumer({ name: 'acks', type: 'BY_STREAM', selector: 'acked' });
    const written = await appendSuccess(env.gw, { streamId: 'acked', events: newEvents(3) });
    await sub.waitForEvents(3);
    for (const event of written.events) expect(await sub.ack(event.id)).toBe(true);
    expect(await sub.ack(written.events[0]!.id)).toBe(false);
    const view = await subscriptionView(env.gw, 'acks');
    expect(view).toMatchObject({ inFlightCount: 0, parkedCount: 0, checkpoint: written.position, consumerCount: 1 });

    // A new consumer of the same subscription starts after what was acked.
    sub.unsubscribe();
    await waitForConsumers(env.gw, 0);
    const again = consume(env.ws, 'acks', { autoAck: true });
    await waitForConsumers(env.gw, 1);
    await expectNextIsMarker(again, 'acked');
  });

  it('at most maxInFlight deliveries are unacknowledged per consumer; each ack lets the next one through', async () => {
    const sub = await consumer({ name: 'window', type: 'BY_STREAM', selector: 'window', maxInFlight: 3 });
    const written = await appendSuccess(env.gw, { streamId: 'window', events: newEvents(8) });
    await sub.waitForEvents(3);
    expect(await subscriptionView(env.gw, 'window')).toMatchObject({ inFlightCount: 3, checkpoint: written.events[0]!.position - 1 });
    for (let index = 0; index < 8; index++) {
      await sub.waitForEvents(Math.min(index + 3, 8));
      expect(deliveredIds(sub.events)).toEqual(ids(written.events.slice(0, Math.min(index + 3, 8))));
      expect(await sub.ack(written.events[index]!.id)).toBe(true);
    }
    expect(await subscriptionView(env.gw, 'window')).toMatchObject({ inFlightCount: 0, checkpoint: written.position });
  });

  it('nack RETRY redelivers the event at once with retryCount + 1', async () => {
    const sub = await consumer({ name: 'retry', type: 'BY_STREAM', selector: 'retried' });
    const [event] = (await appendSuccess(env.gw, { streamId: 'retried', events: newEvents(1) })).events;
    await sub.waitForEvents(1);
    expect(await sub.nack(event!.id, 'RETRY')).toBe(true);
    await sub.waitForEvents(2);
    expect(sub.events.map((delivery) => [delivery.event.id, delivery.retryCount])).toEqual([
      [event!.id, 0],
      [event!.id, 1],
    ]);
    expect(await sub.nack(event!.id, 'RETRY', 'still failing')).toBe(true);
    await sub.waitForEvents(3);
    expect(sub.events[2]!.retryCount).toBe(2);
    expect(await sub.ack(event!.id)).toBe(true);
  });

  it('nack PARK parks the event: not delivered again, listed by parkedEvents, and no longer in flight', async () => {
    const sub = await consumer({ name: 'park', type: 'BY_STREAM', selector: 'parked' }, {});
    const written = await appendSuccess(env.gw, { streamId: 'parked', events: newEvents(2) });
    await sub.waitForEvents(2);
    expect(await sub.nack(written.events[0]!.id, 'PARK', 'cannot parse')).toBe(true);
    expect(await sub.ack(written.events[1]!.id)).toBe(true);
    expect(await sub.ack(written.events[0]!.id)).toBe(false);

    const parked = dataOf(await env.gw.gql<{ parkedEvents: { edges: { node: EventView }[] } }>(PARKED_EVENTS, { subscription: 'park' }));
    expect(parked.parkedEvents.edges.map((edge) => edge.node)).toEqual([written.events[0]]);
    // Parked counts as settled for the checkpoint.
    expect(await subscriptionView(env.gw, 'park')).toMatchObject({ inFlightCount: 0, parkedCount: 1, checkpoint: written.position });
    sub.unsubscribe();
    await waitForConsumers(env.gw, 0);
    const next = consume(env.ws, 'park', { autoAck: true });
    await waitForConsumers(env.gw, 1);
    await expectNextIsMarker(next, 'parked');
  });

  it('nack SKIP treats the event as done: not delivered again, not parked', async () => {
    const sub = await consumer({ name: 'skip', type: 'BY_STREAM', selector: 'skipped' });
    const [event] = (await appendSuccess(env.gw, { streamId: 'skipped', events: newEvents(1) })).events;
    await sub.waitForEvents(1);
    expect(await sub.nack(event!.id, 'SKIP')).toBe(true);
    expect(await sub.nack(event!.id, 'SKIP')).toBe(false);
    expect(await subscriptionView(env.gw, 'skip')).toMatchObject({ inFlightCount: 0, parkedCount: 0, checkpoint: event!.position });
    const marker = await appendSuccess(env.gw, { streamId: 'skipped', events: newEvents(1, 'Marker') });
    await sub.waitForEvents(2);
    expect(deliveredIds(sub.events)).toEqual([event!.id, marker.events[0]!.id]);
  });

  it('replayParked sends every parked event back to delivery, in position order, with retryCount from 0', async () => {
    const sub = await consumer({ name: 'replay', type: 'BY_STREAM', selector: 'replayed' });
    const written = await appendSuccess(env.gw, { streamId: 'replayed', events: newEvents(3) });
    await sub.waitForEvents(3);
    expect(await sub.nack(written.events[2]!.id, 'PARK')).toBe(true);
    expect(await sub.nack(written.events[0]!.id, 'PARK')).toBe(true);
    expect(await sub.ack(written.events[1]!.id)).toBe(true);

    expect(dataOf(await env.gw.gql<{ replayParked: number }>(REPLAY_PARKED, { subscription: 'replay' })).replayParked).toBe(2);
    await sub.waitForEvents(5);
    expect(sub.events.slice(3).map((delivery) => [delivery.event.id, delivery.retryCount])).toEqual([
      [written.events[0]!.id, 0],
      [written.events[2]!.id, 0],
    ]);
    expect(await subscriptionView(env.gw, 'replay')).toMatchObject({ inFlightCount: 2, parkedCount: 0 });
    expect(dataOf(await env.gw.gql<{ replayParked: number }>(REPLAY_PARKED, { subscription: 'replay' })).replayParked).toBe(0);
    expect(await sub.ack(written.events[0]!.id)).toBe(true);
    expect(await sub.ack(written.events[2]!.id)).toBe(true);
    expect(await subscriptionView(env.gw, 'replay')).toMatchObject({ inFlightCount: 0, parkedCount: 0, checkpoint: written.position });
  });
});
