import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { consumerKeyOf } from '../../src/resolvers/consumer-key.js';
import { consume, saveSubscription, subscriptionView, waitForConsumers } from '../support/persistent.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs } from '../support/ws-client.js';

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
