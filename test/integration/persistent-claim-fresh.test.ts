import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/store/types.js';
import { deleteStream } from '../support/lifecycle.js';
import { saveSubscription, subscriptionView } from '../support/persistent.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

/** What the dispatcher read from the log: claimFresh looks at ids and positions only. */
const asRead = (events: readonly { id: string; position: number }[]) => events as unknown as RecordedEvent[];

/** A claim of `events`, read after `from`, moving the cursor to `to`; no consumer of the subscription is connected, so nothing else claims. */
async function claim(subscription: string, from: number, to: number, events: readonly { id: string; position: number }[]) {
  const { persistent } = gw.gateway.stores.find('default')!;
  const [saved] = await persistent.list({ name: subscription, consumerStaleMs: 60_000 });
  return persistent.claimFresh({
    subscription,
    incarnation: saved!.incarnation,
    gatewayId: randomUUID(),
    from,
    to,
    events: asRead(events),
    consumerIds: events.map(() => randomUUID()),
    ackTimeoutMs: 60_000,
  });
}

it('leases the events read, passes over those erased since the read and names them, and changes nothing from a cursor that moved on', async () => {
  await saveSubscription(gw, { name: 'claims', type: 'BY_STREAM', selector: '$all' });
  const from = (await subscriptionView(gw, 'claims')).checkpoint;
  const kept = (await appendSuccess(gw, { streamId: 'claims-kept', events: newEvents(3) })).events;
  const doomed = (await appendSuccess(gw, { streamId: 'claims-doomed', events: newEvents(2) })).events;
  const more = (await appendSuccess(gw, { streamId: 'claims-kept', events: newEvents(2) })).events;
  expect(await deleteStream(gw, { streamId: 'claims-doomed', hard: true })).toMatchObject({ __typename: 'DeleteStreamSuccess', erasedEvents: 2 });

  const firstRead = [...kept, ...doomed];
  const first = await claim('claims', from, doomed[1]!.position, firstRead);
  expect(first.moved).toBe(true);
  expect([...first.erased].sort()).toEqual(doomed.map((event) => event.id).sort());
  expect(await subscriptionView(gw, 'claims')).toMatchObject({ inFlightCount: 3, checkpoint: kept[0]!.position - 1 });

  expect(await claim('claims', from, more[1]!.position, more)).toEqual({ moved: false, erased: [] });
  expect(await subscriptionView(gw, 'claims')).toMatchObject({ inFlightCount: 3 });

  expect(await claim('claims', doomed[1]!.position, more[1]!.position, more)).toEqual({ moved: true, erased: [] });
  expect(await subscriptionView(gw, 'claims')).toMatchObject({ inFlightCount: 5 });
});
