import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import type { PersistentDelivery } from '../../src/subscriptions/persistent/consumer.js';
import { PersistentSubscriptions } from '../../src/subscriptions/persistent/persistent-subscriptions.js';
import { saveSubscription } from '../support/persistent.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { waitUntil } from '../support/ws-client.js';

/**
 * Far longer than any test may run: a redelivery seen at all came from the
 * lease's own deadline, not from the poll, whatever the machine's load.
 */
const POLL_INTERVAL_MS = 3_600_000;
const ACK_TIMEOUT_MS = 200;

const gw = useGateway();
/** Served beside the gateway's own (which has no consumers here), to choose its poll interval. */
let persistent: PersistentSubscriptions | undefined;
afterAll(async () => {
  await persistent?.stop();
});

it('redelivers an event not acked once its lease runs out, without waiting for the next poll', async () => {
  persistent = new PersistentSubscriptions({
    stores: gw.gateway.stores.all(),
    connect: () => gw.gateway.cluster.connectToLeader(),
    pollIntervalMs: POLL_INTERVAL_MS,
    log: () => undefined,
  });
  await saveSubscription(gw, { name: 'leased', type: 'BY_STREAM', selector: 'leased', ackTimeoutMs: ACK_TIMEOUT_MS });
  const consumer = await persistent.hub(gw.gateway.stores.find('default')!).consume('leased', randomBytes(32));
  if (!consumer) throw new Error('the subscription was saved: it must have a consumer');
  const deliveries: PersistentDelivery[] = [];
  void (async () => {
    for await (const delivery of consumer) deliveries.push(delivery);
  })();

  const [event] = (await appendSuccess(gw, { streamId: 'leased', events: newEvents(1) })).events;
  await waitUntil(() => deliveries.length >= 1, 'the first delivery');
  await waitUntil(() => deliveries.length >= 2, 'the redelivery once the lease ran out');
  expect(deliveries.slice(0, 2).map((delivery) => [delivery.event.id, delivery.retryCount])).toEqual([
    [event!.id, 0],
    [event!.id, 1],
  ]);
});
