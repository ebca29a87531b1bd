import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import { consumerKeyOf } from '../../src/resolvers/consumer-key.js';
import { storeTables } from '../../src/store/tables.js';
import { consume, saveSubscription, subscriptionView, waitForConsumers } from '../support/persistent.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs, type WsConnection } from '../support/ws-client.js';

const gw = useGateway();

it('settles the acks of several subscriptions that go to the database together, each by its own subscription and consumer key', async () => {
  const token = randomUUID();
  const connection = await connectWs(gw, { connectionParams: { consumerToken: token } });
  try {
    for (const name of ['left', 'right']) await saveSubscription(gw, { name, type: 'BY_STREAM', selector: name, ackTimeoutMs: 60_000 });
    const consumers = [consume(connection, 'left'), consume(connection, 'right')];
    await waitForConsumers(gw, 2);
    const left = (await appendSuccess(gw, { streamId: 'left', events: newEvents(2) })).events;
    const right = (await appendSuccess(gw, { streamId: 'right', events: newEvents(2) })).events;
    await Promise.all(consumers.map((consumer) => consumer.waitForEvents(2)));

    const hub = gw.gateway.persistent.hub(gw.gateway.stores.find('default')!);
    const key = consumerKeyOf(token, 'consumerToken')!;
    // The first ack goes to the database alone; the others wait for it and go together, in one batch.
    const outcomes = await Promise.all([
      hub.ack('left', left[0]!.id, key),
      hub.ack('left', left[1]!.id, key),
      hub.ack('right', right[0]!.id, key),
      hub.ack('right', right[1]!.id, consumerKeyOf(randomUUID(), 'consumerToken')!),
      hub.ack('right', left[0]!.id, key),
      hub.ack('nowhere', right[1]!.id, key),
    ]);

    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['settled', 'settled', 'settled', 'not_in_flight', 'not_in_flight', 'subscription_not_found']);
    expect(await subscriptionView(gw, 'left')).toMatchObject({ inFlightCount: 0 });
    expect(await subscriptionView(gw, 'right')).toMatchObject({ inFlightCount: 1 });
    consumers.forEach((consumer) => consumer.unsubscribe());
  } finally {
    await connection.dispose();
  }
});

it('credits an event asked for twice in one batch to its holder, whichever ack comes first', async () => {
  const token = randomUUID();
  const connection = await connectWs(gw, { connectionParams: { consumerToken: token } });
  try {
    await saveSubscription(gw, { name: 'twice', type: 'BY_STREAM', selector: 'twice', ackTimeoutMs: 60_000 });
    const consumer = consume(connection, 'twice');
    await waitForConsumers(gw, 1);
    const events = (await appendSuccess(gw, { streamId: 'twice', events: newEvents(2) })).events;
    await consumer.waitForEvents(2);

    const hub = gw.gateway.persistent.hub(gw.gateway.stores.find('default')!);
    const holder = consumerKeyOf(token, 'consumerToken')!;
    const stranger = consumerKeyOf(randomUUID(), 'consumerToken')!;
    // The first ack goes to the database alone; the stranger's and the holder's of the second event go together.
    const outcomes = await Promise.all([hub.ack('twice', events[0]!.id, holder), hub.ack('twice', events[1]!.id, stranger), hub.ack('twice', events[1]!.id, holder)]);

    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['settled', 'not_in_flight', 'settled']);
    expect(await subscriptionView(gw, 'twice')).toMatchObject({ inFlightCount: 0 });
    consumer.unsubscribe();
  } finally {
    await connection.dispose();
  }
});

it('ends a consumer that another gateway forgot while this one could not mark it, so that it subscribes again instead of acking in vain', async () => {
  await saveSubscription(gw, { name: 'forgotten', type: 'BY_STREAM', selector: 'forgotten', ackTimeoutMs: 60_000 });
  await withSocketAndSession(async (connection, db) => {
    const consumer = consume(connection, 'forgotten');
    await waitForConsumers(gw, 1);
    // What another gateway's heartbeat does to the consumers of a gateway that stopped marking them.
    await db.query(`DELETE FROM ${storeTables('default').consumers} WHERE subscription = 'forgotten'`);

    const errors = await consumer.waitForErrors();
    expect(errors.map((error) => error.extensions?.code)).toEqual(['CLUSTER_UNAVAILABLE']);
    await waitForConsumers(gw, 0);
    const again = consume(connection, 'forgotten', { autoAck: true });
    await waitForConsumers(gw, 1);
    await appendSuccess(gw, { streamId: 'forgotten', events: newEvents(1) });
    await again.waitForEvents(1);
    expect(await Promise.all(again.autoAcks)).toEqual([true]);
  });
});

it('ends with SUBSCRIPTION_NOT_FOUND, not as forgotten, the consumers of a subscription removed without its notice reaching this gateway', async () => {
  await saveSubscription(gw, { name: 'unheard', type: 'BY_STREAM', selector: 'unheard', ackTimeoutMs: 60_000, maxInFlight: 1 });
  await withSocketAndSession(async (connection, db) => {
    const consumer = consume(connection, 'unheard');
    await waitForConsumers(gw, 1);
    // With no room, it claims nothing, so no claim finds the subscription gone.
    await appendSuccess(gw, { streamId: 'unheard', events: newEvents(1) });
    await consumer.waitForEvents(1);
    // A removal whose notice this gateway does not hear (as when its LISTEN session is lost): its consumers' rows go with it.
    await db.query(`DELETE FROM ${storeTables('default').subscriptions} WHERE name = 'unheard'`);

    const errors = await consumer.waitForErrors();
    expect(errors.map((error) => error.extensions?.code)).toEqual(['SUBSCRIPTION_NOT_FOUND']);
    await waitForConsumers(gw, 0);
  });
});

/** Runs `body` with a graphql-ws connection to the gateway and a session of its own on the gateway's database. */
async function withSocketAndSession(body: (connection: WsConnection, db: pg.Client) => Promise<void>): Promise<void> {
  const connection = await connectWs(gw);
  const db = new pg.Client({ connectionString: gw.databaseUrl });
  await db.connect();
  try {
    await body(connection, db);
  } finally {
    await db.end();
    await connection.dispose();
  }
}
