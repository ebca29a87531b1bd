import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACK,
  ACK_MANY,
  NACK,
  PARKED_EVENTS,
  PERSISTENT,
  PERSISTENT_SUBSCRIPTIONS,
  REMOVE_SUBSCRIPTION,
  REPLAY_PARKED,
  SAVE_SUBSCRIPTION,
  consume,
  saveSubscription,
  subscriptionView,
  waitForConsumers,
  type SaveSubscriptionInput,
  type SubscriptionView,
} from '../support/persistent.js';
import { appendSuccess, dataOf, newEvents, type GraphQLResponse } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs, type WsConnection } from '../support/ws-client.js';

let ws: WsConnection;
const gw = useGateway({ stores: ['main', 'side'] });
beforeAll(async () => {
  ws = await connectWs(gw);
});
afterAll(async () => {
  await ws?.dispose();
});

function codeAndField(response: GraphQLResponse<unknown>): [string | undefined, string | undefined][] {
  return (response.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.field]);
}

const save = (input: Partial<SaveSubscriptionInput>) => gw.gql(SAVE_SUBSCRIPTION, { input: { name: 'bad', type: 'BY_STREAM', selector: '$all', ...input } });
const list = async (store?: string) =>
  dataOf(await gw.gql<{ persistentSubscriptions: SubscriptionView[] }>(PERSISTENT_SUBSCRIPTIONS, { store })).persistentSubscriptions;

describe('saveSubscription', () => {
  it('creates a subscription with the default settings, starting at the end of the log, and lists it', async () => {
    await appendSuccess(gw, { streamId: 'm-1', events: newEvents(3) });
    const saved = await saveSubscription(gw, { name: 'defaults', type: 'BY_EVENT_TYPE', selector: 'Happened' });
    const expected: SubscriptionView = {
      name: 'defaults',
      type: 'BY_EVENT_TYPE',
      selector: 'Happened',
      pattern: null,
      startFrom: null,
      maxRetries: 10,
      ackTimeoutMs: 30_000,
      maxInFlight: 10,
      checkpoint: 3,
      inFlightCount: 0,
      parkedCount: 0,
      consumerCount: 0,
    };
    expect(saved).toEqual(expected);
    expect(await subscriptionView(gw, 'defaults')).toEqual(expected);
  });

  it('saved again changes the settings given and keeps the others', async () => {
    await saveSubscription(gw, { name: 'tuned', type: 'BY_EVENT_PATTERN', pattern: { data: { k: 1 } }, startFrom: 1, maxRetries: 3, maxInFlight: 4 });
    const updated = await saveSubscription(gw, { name: 'tuned', type: 'BY_EVENT_PATTERN', pattern: { data: { k: 1 } }, ackTimeoutMs: 500 });
    expect(updated).toMatchObject({ startFrom: 1, maxRetries: 3, ackTimeoutMs: 500, maxInFlight: 4, checkpoint: 0 });
    expect(await subscriptionView(gw, 'tuned')).toEqual(updated);
  });

  it('refuses to change what an existing subscription selects, naming the field, and changes nothing', async () => {
    await saveSubscription(gw, { name: 'fixed', type: 'BY_STREAM', selector: 'fixed-1', startFrom: 2, maxRetries: 1 });
    const before = await subscriptionView(gw, 'fixed');
    const attempts: [Partial<SaveSubscriptionInput>, string][] = [
      [{ type: 'BY_EVENT_TYPE', selector: 'fixed-1' }, 'input.type'],
      [{ selector: 'fixed-2' }, 'input.selector'],
      [{ selector: 'fixed-1', startFrom: 3 }, 'input.startFrom'],
    ];
    for (const [change, field] of attempts) {
      const response = await save({ name: 'fixed', selector: 'fixed-1', maxRetries: 9, ...change });
      expect(codeAndField(response), field).toEqual([['BAD_USER_INPUT', field]]);
    }
    expect(await subscriptionView(gw, 'fixed')).toEqual(before);
  });

  it.each<[string, Partial<SaveSubscriptionInput>, string]>([
    ['a negative maxRetries', { maxRetries: -1 }, 'input.maxRetries'],
    ['a zero ackTimeoutMs', { ackTimeoutMs: 0 }, 'input.ackTimeoutMs'],
    ['a negative ackTimeoutMs', { ackTimeoutMs: -5 }, 'input.ackTimeoutMs'],
    ['a zero maxInFlight', { maxInFlight: 0 }, 'input.maxInFlight'],
    ['a maxInFlight above 10,000', { maxInFlight: 10_001 }, 'input.maxInFlight'],
    ['a negative startFrom', { startFrom: -1 }, 'input.startFrom'],
    ['an empty name', { name: '' }, 'input.name'],
    ['BY_STREAM without a selector', { selector: undefined }, 'input.selector'],
    ['BY_STREAM on a reserved stream id', { selector: '$other' }, 'input.selector'],
    ['BY_STREAM with a pattern', { pattern: { type: 'X' } }, 'input.pattern'],
    ['BY_EVENT_TYPE without a selector', { type: 'BY_EVENT_TYPE', selector: undefined }, 'input.selector'],
    ['BY_EVENT_PATTERN without a pattern', { type: 'BY_EVENT_PATTERN', selector: undefined }, 'input.pattern'],
    ['BY_EVENT_PATTERN with a pattern that is an array', { type: 'BY_EVENT_PATTERN', selector: undefined, pattern: [1] }, 'input.pattern'],
    ['BY_EVENT_PAYLOAD with a selector', { type: 'BY_EVENT_PAYLOAD', pattern: { a: 1 } }, 'input.selector'],
  ])('refuses %s as BAD_USER_INPUT naming the field, and creates nothing', async (_name, input, field) => {
    expect(codeAndField(await save(input))).toEqual([['BAD_USER_INPUT', field]]);
    expect((await list()).map((subscription) => subscription.name)).not.toContain('bad');
  });

  it('keeps each store\'s subscriptions apart', async () => {
    await saveSubscription(gw, { store: 'side', name: 'defaults', type: 'BY_STREAM', selector: '$all', maxInFlight: 7 });
    expect((await list('side')).map((subscription) => [subscription.name, subscription.maxInFlight])).toEqual([['defaults', 7]]);
    expect((await subscriptionView(gw, 'defaults')).maxInFlight).toBe(10);
    const response = await gw.gql(PERSISTENT_SUBSCRIPTIONS, { store: 'nope' });
    expect(codeAndField(response)).toEqual([['STORE_NOT_FOUND', undefined]]);
  });
});

describe('unknown subscriptions and events', () => {
  const eventId = randomUUID();
  it.each<[string, string, Record<string, unknown>]>([
    ['ackEvent', ACK, { subscription: 'missing', eventId }],
    ['ackEvents', ACK_MANY, { subscription: 'missing', eventIds: [eventId] }],
    ['ackEvents with no ids', ACK_MANY, { subscription: 'missing', eventIds: [] }],
    ['nackEvent', NACK, { subscription: 'missing', eventId, action: 'PARK' }],
    ['nackEvent SKIP', NACK, { subscription: 'missing', eventId, action: 'SKIP' }],
    ['replayParked', REPLAY_PARKED, { subscription: 'missing' }],
    ['parkedEvents', PARKED_EVENTS, { subscription: 'missing' }],
  ])('%s of an unknown subscription is SUBSCRIPTION_NOT_FOUND', async (_name, query, variables) => {
    const response = await gw.gql(query, variables);
    expect(codeAndField(response)).toEqual([['SUBSCRIPTION_NOT_FOUND', undefined]]);
    expect(response.errors![0]!.message).toContain('"missing"');
  });

  it('consuming an unknown subscription fails with SUBSCRIPTION_NOT_FOUND', async () => {
    const sub = ws.subscribe(PERSISTENT, { subscription: 'missing' });
    const errors = await sub.waitForErrors();
    expect(errors.map((error) => error.extensions?.code)).toEqual(['SUBSCRIPTION_NOT_FOUND']);
  });

  it('acking or nacking an event that is not in flight answers false; an event id that is not a UUID is BAD_USER_INPUT', async () => {
    const [event] = (await appendSuccess(gw, { streamId: 'm-2', events: newEvents(1) })).events;
    await saveSubscription(gw, { name: 'idle', type: 'BY_STREAM', selector: 'm-2', startFrom: 1 });
    // Never delivered (nobody consumes), or not an event at all.
    for (const id of [event!.id, randomUUID()]) {
      expect(dataOf(await gw.gql<{ ackEvent: boolean }>(ACK, { subscription: 'idle', eventId: id })).ackEvent).toBe(false);
      expect(dataOf(await gw.gql<{ nackEvent: boolean }>(NACK, { subscription: 'idle', eventId: id })).nackEvent).toBe(false);
    }
    expect(codeAndField(await gw.gql(ACK, { subscription: 'idle', eventId: 'nope' }))).toEqual([['BAD_USER_INPUT', 'eventId']]);
  });

  it('takes a nack reason of 1000 characters, counted as characters, and refuses a longer one', async () => {
    await saveSubscription(gw, { name: 'reasons', type: 'BY_STREAM', selector: 'm-3', startFrom: 1 });
    const nack = (reason: string) => gw.gql<{ nackEvent: boolean }>(NACK, { subscription: 'reasons', eventId: randomUUID(), reason });
    expect(dataOf(await nack('😀'.repeat(1000))).nackEvent).toBe(false);
    expect(codeAndField(await nack('😀'.repeat(1001)))).toEqual([['BAD_USER_INPUT', 'reason']]);
  });
});

describe('removeSubscription', () => {
  it('removes it with what it had in flight, ends its consumers with SUBSCRIPTION_NOT_FOUND, and answers false the second time', async () => {
    await saveSubscription(gw, { name: 'doomed', type: 'BY_STREAM', selector: 'doomed' });
    const sub = consume(ws, 'doomed');
    await waitForConsumers(gw, 1);
    expect(await subscriptionView(gw, 'doomed')).toMatchObject({ consumerCount: 1 });
    const [event] = (await appendSuccess(gw, { streamId: 'doomed', events: newEvents(1) })).events;
    await sub.waitForEvents(1);

    expect(dataOf(await gw.gql<{ removeSubscription: boolean }>(REMOVE_SUBSCRIPTION, { name: 'doomed' })).removeSubscription).toBe(true);
    const errors = await sub.waitForErrors();
    expect(errors.map((error) => error.extensions?.code)).toEqual(['SUBSCRIPTION_NOT_FOUND']);
    await waitForConsumers(gw, 0);
    expect((await list()).map((subscription) => subscription.name)).not.toContain('doomed');
    expect(codeAndField(await gw.gql(ACK, { subscription: 'doomed', eventId: event!.id }))).toEqual([['SUBSCRIPTION_NOT_FOUND', undefined]]);
    expect(dataOf(await gw.gql<{ removeSubscription: boolean }>(REMOVE_SUBSCRIPTION, { name: 'doomed' })).removeSubscription).toBe(false);

    // The name can be used again: the new subscription starts afresh.
    const again = await saveSubscription(gw, { name: 'doomed', type: 'BY_EVENT_TYPE', selector: 'Other' });
    expect(again).toMatchObject({ type: 'BY_EVENT_TYPE', inFlightCount: 0, consumerCount: 0 });
  });

  it('ends a consumer with no room at once, and serves the subscription saved again under the name only what it selects', async () => {
    await saveSubscription(gw, { name: 'reborn', type: 'BY_EVENT_TYPE', selector: 'Old', maxInFlight: 2, ackTimeoutMs: 60_000 });
    const full = consume(ws, 'reborn');
    await waitForConsumers(gw, 1);
    await appendSuccess(gw, { streamId: 'reborn-1', events: newEvents(3, 'Old') });
    await full.waitForEvents(2);

    expect(dataOf(await gw.gql<{ removeSubscription: boolean }>(REMOVE_SUBSCRIPTION, { name: 'reborn' })).removeSubscription).toBe(true);
    await saveSubscription(gw, { name: 'reborn', type: 'BY_EVENT_TYPE', selector: 'New' });
    expect((await full.waitForErrors()).map((error) => error.extensions?.code)).toEqual(['SUBSCRIPTION_NOT_FOUND']);
    const fresh = consume(ws, 'reborn', { autoAck: true });
    await waitForConsumers(gw, 1);
    const wanted: string[] = [];
    for (const type of ['Old', 'New', 'Old', 'New']) {
      const [event] = (await appendSuccess(gw, { streamId: 'reborn-2', events: newEvents(1, type) })).events;
      if (type === 'New') wanted.push(event!.id);
    }

    const delivered = await fresh.waitForEvents(2);
    expect(delivered.map((delivery) => delivery.event.id)).toEqual(wanted);
    expect(await Promise.all(fresh.autoAcks)).toEqual([true, true]);
    expect(full.events).toHaveLength(2);
    expect(await subscriptionView(gw, 'reborn')).toMatchObject({ inFlightCount: 0, consumerCount: 1 });
  });
});
