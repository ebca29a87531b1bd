import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../../bench/gateway-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import type { EventView } from '../support/queries.js';
import {
  ackOverHttp,
  consume,
  saveSubscription,
  subscriptionView,
  waitForConsumers,
  type DeliveryView,
} from '../support/persistent.js';
import { appendSuccess, newEvents, startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { connectWs, waitUntil, type WsConnection } from '../support/ws-client.js';

/** One database for the file; each test starts the gateways it needs on it, and they stop with the test. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const gateways: TestGateway[] = [];
const connections: WsConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.dispose();
  for (const gateway of gateways.splice(0).reverse()) await gateway.stop();
});

async function gateway(): Promise<TestGateway> {
  const started = await startTestGateway({ databaseUrl: database.url });
  gateways.push(started);
  return started;
}

async function connect(gw: TestGateway, connectionParams?: Record<string, unknown>): Promise<WsConnection> {
  const connection = await connectWs(gw, { connectionParams });
  connections.push(connection);
  return connection;
}

const ids = (events: readonly { id: string }[]) => events.map((event) => event.id);
const eventsOf = (deliveries: readonly DeliveryView[]) => deliveries.map((delivery) => delivery.event);
const byPosition = (a: EventView, b: EventView) => a.position - b.position;

describe('two gateways on one database', () => {
  it('share one subscription between their consumers: every event once, to one of them, and both get some', async () => {
    const [first, second] = [await gateway(), await gateway()];
    await saveSubscription(first, { name: 'across', type: 'BY_STREAM', selector: 'across', maxInFlight: 2 });
    const a = consume(await connect(first), 'across', { autoAck: true });
    const b = consume(await connect(second), 'across', { autoAck: true });
    await Promise.all([waitForConsumers(first, 1), waitForConsumers(second, 1)]);
    expect(await subscriptionView(second, 'across')).toMatchObject({ consumerCount: 2 });

    const written: EventView[] = [];
    for (let round = 0; round < 3; round++) {
      written.push(...(await appendSuccess(round % 2 ? second : first, { streamId: 'across', events: newEvents(30) })).events);
    }
    await waitUntil(() => a.events.length + b.events.length >= written.length, `${written.length} deliveries`);
    expect((await Promise.all([...a.autoAcks, ...b.autoAcks])).every(Boolean)).toBe(true);

    expect(ids([...eventsOf(a.events), ...eventsOf(b.events)].sort(byPosition))).toEqual(ids(written));
    expect(a.events.length).toBeGreaterThan(0);
    expect(b.events.length).toBeGreaterThan(0);
    expect(await subscriptionView(first, 'across')).toMatchObject({ inFlightCount: 0, checkpoint: written[written.length - 1]!.position });
    a.unsubscribe();
    b.unsubscribe();
    await Promise.all([waitForConsumers(first, 0), waitForConsumers(second, 0)]);
  });

  it('take an ack at either gateway: acked over HTTP at the other one with the consumer token, the event is done and its consumer gets the next', async () => {
    const [first, second] = [await gateway(), await gateway()];
    await saveSubscription(first, { name: 'ack-anywhere', type: 'BY_STREAM', selector: 'ack-anywhere', maxInFlight: 1 });
    const token = randomUUID();
    const sub = consume(await connect(first, { consumerToken: token }), 'ack-anywhere');
    await waitForConsumers(first, 1);
    const written = await appendSuccess(first, { streamId: 'ack-anywhere', events: newEvents(3) });

    for (const [index, event] of written.events.entries()) {
      await sub.waitForEvents(index + 1);
      expect(sub.events[index]).toEqual({ event, retryCount: 0 });
      expect(await ackOverHttp(second, 'ack-anywhere', event.id, token)).toBe(true);
    }
    expect(await ackOverHttp(first, 'ack-anywhere', written.events[0]!.id, token)).toBe(false);
    expect(await subscriptionView(second, 'ack-anywhere')).toMatchObject({ inFlightCount: 0, checkpoint: written.position });
    sub.unsubscribe();
    await waitForConsumers(first, 0);
  });
});

describe('a gateway restarted on the same database', () => {
  it('redelivers exactly the events that were not acked, and never one that was', async () => {
    const before = await gateway();
    await saveSubscription(before, { name: 'durable', type: 'BY_STREAM', selector: 'durable', ackTimeoutMs: 60_000 });
    const sub = consume(await connect(before), 'durable');
    await waitForConsumers(before, 1);
    const written = await appendSuccess(before, { streamId: 'durable', events: newEvents(6) });
    await sub.waitForEvents(6);
    const [acked, unacked] = [written.events.filter((_, index) => index % 2 === 0), written.events.filter((_, index) => index % 2 === 1)];
    for (const event of acked) expect(await sub.ack(event.id)).toBe(true);

    await before.stop();
    const after = await gateway();
    expect(await subscriptionView(after, 'durable')).toMatchObject({
      inFlightCount: 3,
      consumerCount: 0,
      checkpoint: unacked[0]!.position - 1,
    });
    const resumed = consume(await connect(after), 'durable', { autoAck: true });
    await resumed.waitForEvents(3);
    expect(resumed.events).toEqual(unacked.map((event) => ({ event, retryCount: 1 })));

    const next = await appendSuccess(after, { streamId: 'durable', events: newEvents(1) });
    await resumed.waitForEvents(4);
    expect(resumed.events.slice(3)).toEqual([{ event: next.events[0], retryCount: 0 }]);
    expect((await Promise.all(resumed.autoAcks)).every(Boolean)).toBe(true);
    expect(await subscriptionView(after, 'durable')).toMatchObject({ inFlightCount: 0, checkpoint: next.position });
  });

  it('that was killed redelivers what its consumers held once their leases run out, and never what they acked', async () => {
    const writer = await gateway();
    // Its own process, so that it can die without handing anything back.
    const doomed = await startGatewayProcess(database.url);
    const doomedGw = { url: doomed.url, gateway: writer.gateway };
    try {
      await saveSubscription(writer, { name: 'crash', type: 'BY_STREAM', selector: 'crash', ackTimeoutMs: 1_000 });
      const sub = consume(await connectWs(doomedGw), 'crash');
      const written = await appendSuccess(writer, { streamId: 'crash', events: newEvents(4) });
      await sub.waitForEvents(4);
      expect(await sub.ack(written.events[1]!.id)).toBe(true);
      expect(await sub.ack(written.events[2]!.id)).toBe(true);
      process.kill(doomed.pid, 'SIGKILL');
    } catch (error) {
      await doomed.stop();
      throw error;
    }

    const survivor = await gateway();
    const resumed = consume(await connect(survivor), 'crash', { autoAck: true });
    const unacked = (await subscriptionView(survivor, 'crash')).inFlightCount;
    expect(unacked).toBe(2);
    await resumed.waitForEvents(2);
    expect(resumed.events.map((delivery) => [delivery.event.version, delivery.retryCount])).toEqual([
      [0, 1],
      [3, 1],
    ]);
    expect((await Promise.all(resumed.autoAcks)).every(Boolean)).toBe(true);
    expect(await subscriptionView(survivor, 'crash')).toMatchObject({ inFlightCount: 0 });
  });
});
