import { afterAll, describe, expect, it } from 'vitest';
import type { EventView } from '../support/queries.js';
import { consume, saveSubscription, subscriptionView, waitForConsumers, type DeliveryView } from '../support/persistent.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs, waitUntil, type WsConnection } from '../support/ws-client.js';

const connections: WsConnection[] = [];
const gw = useGateway();
afterAll(async () => {
  for (const connection of connections) await connection.dispose();
});

async function connect(): Promise<WsConnection> {
  const connection = await connectWs(gw);
  connections.push(connection);
  return connection;
}

const ids = (events: readonly { id: string }[]) => events.map((event) => event.id);
const eventIds = (deliveries: readonly DeliveryView[]) => deliveries.map((delivery) => delivery.event.id);
const byPosition = (a: EventView, b: EventView) => a.position - b.position;

describe('competing consumers on one gateway', () => {
  it('share the events: each is delivered to exactly one of them, once, and both get some, while they ack promptly', async () => {
    await saveSubscription(gw, { name: 'shared', type: 'BY_STREAM', selector: '$all', maxInFlight: 5 });
    const [a, b] = [consume(await connect(), 'shared', { autoAck: true }), consume(await connect(), 'shared', { autoAck: true })];
    await waitForConsumers(gw, 2);

    const written: EventView[] = [];
    for (let index = 0; index < 20; index++) {
      written.push(...(await appendSuccess(gw, { streamId: `shared-${index % 4}`, events: newEvents(1 + (index % 5)) })).events);
    }
    await waitUntil(() => a.events.length + b.events.length >= written.length, `${written.length} deliveries`);
    await Promise.all([...a.autoAcks, ...b.autoAcks]);

    const delivered = [...a.events, ...b.events].map((delivery) => delivery.event).sort(byPosition);
    expect(ids(delivered)).toEqual(ids(written));
    expect(a.events.length).toBeGreaterThan(0);
    expect(b.events.length).toBeGreaterThan(0);
    // Each consumer sees its share in position order, never a redelivery.
    for (const consumer of [a, b]) {
      expect(consumer.events.map((delivery) => delivery.event).sort(byPosition)).toEqual(consumer.events.map((delivery) => delivery.event));
      expect(consumer.events.every((delivery) => delivery.retryCount === 0)).toBe(true);
    }
    expect((await Promise.all([...a.autoAcks, ...b.autoAcks])).every(Boolean)).toBe(true);
    expect(await subscriptionView(gw, 'shared')).toMatchObject({
      inFlightCount: 0,
      consumerCount: 2,
      checkpoint: written[written.length - 1]!.position,
    });

    // Nothing else is on its way: the next event is the only one either of them gets.
    const before = a.events.length + b.events.length;
    const marker = await appendSuccess(gw, { streamId: 'shared-0', events: newEvents(1, 'Marker') });
    await waitUntil(() => a.events.length + b.events.length > before, 'the marker');
    expect(eventIds([...a.events, ...b.events]).filter((id) => id === marker.events[0]!.id)).toHaveLength(1);
    expect(a.events.length + b.events.length).toBe(before + 1);
    a.unsubscribe();
    b.unsubscribe();
    await waitForConsumers(gw, 0);
  });

  it('a consumer that disconnects without acking gives its in-flight events to the other at once, with retryCount 1', async () => {
    await saveSubscription(gw, { name: 'handover', type: 'BY_STREAM', selector: 'handover', maxInFlight: 10 });
    const leaving = await connect();
    const quitter = consume(leaving, 'handover');
    const stayer = consume(await connect(), 'handover', { autoAck: true });
    await waitForConsumers(gw, 2);

    const written = await appendSuccess(gw, { streamId: 'handover', events: newEvents(8) });
    await waitUntil(() => quitter.events.length + stayer.events.length >= 8, 'the first 8 deliveries');
    const held = eventIds(quitter.events);
    expect(held.length).toBeGreaterThan(0);
    expect(await subscriptionView(gw, 'handover')).toMatchObject({ consumerCount: 2 });

    leaving.socket.terminate();
    await waitForConsumers(gw, 1);
    await stayer.waitForEvents(8);
    const handedOver = stayer.events.filter((delivery) => held.includes(delivery.event.id));
    expect(handedOver.map((delivery) => delivery.event.id)).toEqual(held);
    expect(handedOver.every((delivery) => delivery.retryCount === 1)).toBe(true);
    expect(eventIds(stayer.events).sort()).toEqual(ids(written.events).sort());
    expect((await Promise.all(stayer.autoAcks)).every(Boolean)).toBe(true);
    expect(await subscriptionView(gw, 'handover')).toMatchObject({ inFlightCount: 0, consumerCount: 1, checkpoint: written.position });
  });
});
