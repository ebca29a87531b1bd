import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect, it } from 'vitest';
import { storeTables } from '../../src/store/tables.js';
import type { RecordedEvent } from '../../src/store/types.js';
import { deleteStream } from '../support/lifecycle.js';
import { saveSubscription, subscriptionView } from '../support/persistent.js';
import { setStreamMetadata } from '../support/stream-metadata.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

/** What the dispatcher read from the log: claimFresh looks at ids and positions only. */
const asRead = (events: readonly { id: string; position: number }[]) => events as unknown as RecordedEvent[];

async function incarnationOf(subscription: string): Promise<string> {
  const [saved] = await gw.gateway.stores.find('default')!.persistent.list({ name: subscription, consumerStaleMs: 60_000 });
  return saved!.incarnation;
}

/** A claim of `events`, read after `from`, moving the cursor to `to`; no consumer of the subscription is connected, so nothing else claims. */
async function claim(subscription: string, from: number, to: number, events: readonly { id: string; position: number }[]) {
  const { persistent } = gw.gateway.stores.find('default')!;
  return persistent.claimFresh({
    subscription,
    incarnation: await incarnationOf(subscription),
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

it('passes over the events retention hid since the read, as erased ones', async () => {
  await saveSubscription(gw, { name: 'claims-hidden', type: 'BY_STREAM', selector: 'hidden-1' });
  const from = (await subscriptionView(gw, 'claims-hidden')).checkpoint;
  const written = (await appendSuccess(gw, { streamId: 'hidden-1', events: newEvents(3) })).events;
  await setStreamMetadata(gw, { streamId: 'hidden-1', truncateBefore: 2 });

  const claimed = await claim('claims-hidden', from, written[2]!.position, written);
  expect([...claimed.erased].sort()).toEqual(written.slice(0, 2).map((event) => event.id).sort());
  expect(await subscriptionView(gw, 'claims-hidden')).toMatchObject({ inFlightCount: 1, checkpoint: written[2]!.position - 1 });
});

it('drops a lease whose event was erased under it once it is due, and the checkpoint moves on', async () => {
  await saveSubscription(gw, { name: 'claims-orphaned', type: 'BY_STREAM', selector: 'orphaned-1' });
  const from = (await subscriptionView(gw, 'claims-orphaned')).checkpoint;
  const written = (await appendSuccess(gw, { streamId: 'orphaned-1', events: newEvents(3) })).events;
  expect(await claim('claims-orphaned', from, written[2]!.position, written)).toEqual({ moved: true, erased: [] });
  // What a deletion racing the claim leaves: the events gone, their leases not, for the deletion did not see them.
  const tables = storeTables('default');
  const db = new pg.Client({ connectionString: gw.databaseUrl });
  await db.connect();
  try {
    await db.query(`DELETE FROM ${tables.events} WHERE stream_id = 'orphaned-1' AND version < 2`);
    await db.query(`UPDATE ${tables.inFlight} SET due = now() - interval '1 second' WHERE subscription = 'claims-orphaned'`);
  } finally {
    await db.end();
  }
  expect(await subscriptionView(gw, 'claims-orphaned')).toMatchObject({ inFlightCount: 3, checkpoint: written[0]!.position - 1 });

  const due = await gw.gateway.stores.find('default')!.persistent.claimDue({
    subscription: 'claims-orphaned',
    incarnation: await incarnationOf('claims-orphaned'),
    gatewayId: randomUUID(),
    slots: [randomUUID(), randomUUID()],
  });
  expect(due!.deliveries.map((delivery) => delivery.event.id)).toEqual([written[2]!.id]);
  expect(await subscriptionView(gw, 'claims-orphaned')).toMatchObject({ inFlightCount: 1, checkpoint: written[2]!.position - 1 });
});
