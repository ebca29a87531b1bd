import { describe, expect, it } from 'vitest';
import type { EventView } from '../support/queries.js';
import {
  PARKED_EVENTS,
  REPLAY_PARKED,
  consume,
  gatewayForFile,
  saveSubscription,
  subscriptionView,
  waitForConsumers,
} from '../support/persistent.js';
import { appendSuccess, dataOf, newEvents } from '../support/test-gateway.js';

/** Short enough to see several redeliveries in a test, long enough for a delivery to reach the client first. */
const ACK_TIMEOUT_MS = 300;

const env = gatewayForFile();

describe('an event not acked within ackTimeoutMs', () => {
  it('is delivered again with retryCount + 1 each time, until acked; the deliveries before it stay acked', async () => {
    await saveSubscription(env.gw, { name: 'slow', type: 'BY_STREAM', selector: 'slow', ackTimeoutMs: ACK_TIMEOUT_MS });
    const sub = consume(env.ws, 'slow');
    await waitForConsumers(env.gw, 1);
    const [first, second] = (await appendSuccess(env.gw, { streamId: 'slow', events: newEvents(2) })).events;
    await sub.waitForEvents(2);
    expect(await sub.ack(first!.id)).toBe(true);

    // Later redeliveries may follow before the ack below: only the first four are certain.
    const deliveries = await sub.waitForEvents(4);
    expect(deliveries.map((delivery) => [delivery.event.id, delivery.retryCount])).toEqual([
      [first!.id, 0],
      [second!.id, 0],
      [second!.id, 1],
      [second!.id, 2],
    ]);
    expect(deliveries[3]!.event).toEqual(second);
    expect(await sub.ack(second!.id)).toBe(true);
    expect(await subscriptionView(env.gw, 'slow')).toMatchObject({ inFlightCount: 0, parkedCount: 0, checkpoint: second!.position });
  });

  it('is parked once delivered maxRetries + 1 times, then replayParked delivers it again from retryCount 0', async () => {
    await saveSubscription(env.gw, { name: 'poison', type: 'BY_STREAM', selector: 'poison', ackTimeoutMs: ACK_TIMEOUT_MS, maxRetries: 2 });
    const sub = consume(env.ws, 'poison');
    await waitForConsumers(env.gw, 1);
    const [poison] = (await appendSuccess(env.gw, { streamId: 'poison', events: newEvents(1, 'Poison') })).events;

    await sub.waitForEvents(3);
    expect(sub.events.map((delivery) => delivery.retryCount)).toEqual([0, 1, 2]);
    const parkedList = async () =>
      dataOf(await env.gw.gql<{ parkedEvents: { edges: { node: EventView }[] } }>(PARKED_EVENTS, { subscription: 'poison' })).parkedEvents.edges;
    // Parked when its last lease runs out: the next event is delivered, the poison one is not.
    const later = await appendSuccess(env.gw, { streamId: 'poison', events: newEvents(1, 'Fine') });
    await sub.waitForEvents(4);
    expect(sub.events[3]!.event.id).toBe(later.events[0]!.id);
    expect(await sub.ack(later.events[0]!.id)).toBe(true);
    for (let attempt = 0; (await parkedList()).length === 0; attempt++) {
      if (attempt > 100) throw new Error('the event was never parked');
      await new Promise((resolve) => setTimeout(resolve, ACK_TIMEOUT_MS / 3));
    }
    expect((await parkedList()).map((edge) => edge.node)).toEqual([poison]);
    expect(await subscriptionView(env.gw, 'poison')).toMatchObject({ inFlightCount: 0, parkedCount: 1, checkpoint: later.position });
    expect(await sub.ack(poison!.id)).toBe(false);
    expect(sub.events).toHaveLength(4);

    expect(dataOf(await env.gw.gql<{ replayParked: number }>(REPLAY_PARKED, { subscription: 'poison' })).replayParked).toBe(1);
    await sub.waitForEvents(5);
    expect(sub.events[4]).toEqual({ event: poison, retryCount: 0 });
    expect(await sub.ack(poison!.id)).toBe(true);
    expect(await subscriptionView(env.gw, 'poison')).toMatchObject({ inFlightCount: 0, parkedCount: 0 });
  });
});

describe('an event nacked with RETRY', () => {
  it('comes back before newer ones, to a consumer with room for one', async () => {
    await saveSubscription(env.gw, { name: 'retried', type: 'BY_STREAM', selector: 'retried', maxInFlight: 1, ackTimeoutMs: 60_000 });
    const sub = consume(env.ws, 'retried');
    await waitForConsumers(env.gw, 1);
    const events = (await appendSuccess(env.gw, { streamId: 'retried', events: newEvents(3) })).events;
    await sub.waitForEvents(1);

    expect(await sub.nack(events[0]!.id, 'RETRY')).toBe(true);
    // Each delivery acked as it comes: the next comes once there is room.
    for (let count = 2; count <= 4; count++) {
      const latest = (await sub.waitForEvents(count))[count - 1]!;
      expect(await sub.ack(latest.event.id)).toBe(true);
    }
    const deliveries = sub.events;

    expect(deliveries.map((delivery) => [delivery.event.id, delivery.retryCount])).toEqual([
      [events[0]!.id, 0],
      [events[0]!.id, 1],
      [events[1]!.id, 0],
      [events[2]!.id, 0],
    ]);
  });
});
