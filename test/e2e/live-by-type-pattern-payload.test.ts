import { describe, expect, it } from 'vitest';
import { BY_EVENT_PATTERN, BY_EVENT_PAYLOAD, BY_EVENT_TYPE, type EventView, type NewEventInput } from '../support/queries.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { activeSubscriptions, expectExactly, useLiveGateway, waitUntil } from '../support/ws-client.js';

const live = useLiveGateway();

/** An event to append to a stream, and whether the subscription under test must select it. */
interface Variant {
  streamId: string;
  event: NewEventInput;
  selected: boolean;
}

async function appendRound(variants: Variant[]): Promise<{ written: EventView[]; selected: EventView[] }> {
  const written: EventView[] = [];
  const selected: EventView[] = [];
  for (const { streamId, event, selected: isSelected } of variants) {
    const [stored] = (await appendSuccess(live.gw, { streamId, events: [event] })).events;
    written.push(stored!);
    if (isSelected) selected.push(stored!);
  }
  return { written, selected };
}

/**
 * Appends the variants once, starts a live subscription and one that replays
 * from the first of them, appends them all again, and expects the live one to
 * get only the second round's selected events and the replaying one both
 * rounds' (the database's history and the live feed select alike).
 */
async function expectSelection(query: string, variables: Record<string, unknown>, variants: Variant[]): Promise<void> {
  const history = await appendRound(variants);
  const fromNow = await live.ws.subscribeActive<EventView>(query, variables);
  const replaying = live.ws.subscribe<EventView>(query, { ...variables, fromPosition: history.written[0]!.position });
  const now = await appendRound(variants);
  const marker = variants.find((variant) => variant.selected)!;
  await expectExactly(
    async () => (await appendRound([marker])).written,
    [fromNow, now.selected],
    [replaying, [...history.selected, ...now.selected]],
  );
}

describe('byEventType', () => {
  it('delivers the events of that type from every stream, live and from a position', async () => {
    await expectSelection(BY_EVENT_TYPE, { eventType: 'PaymentReceived' }, [
      { streamId: 'payment-1', event: { type: 'PaymentReceived', data: { n: 1 } }, selected: true },
      { streamId: 'payment-1', event: { type: 'PaymentRefunded', data: { n: 2 } }, selected: false },
      { streamId: 'payment-2', event: { type: 'PaymentReceived', data: { n: 3 } }, selected: true },
      { streamId: 'payment-2', event: { type: 'paymentreceived', data: { n: 4 } }, selected: false },
      { streamId: 'payment-3', event: { type: 'PaymentReceivedLate', data: { n: 5 } }, selected: false },
      { streamId: 'other', event: { type: 'PaymentReceived', data: { n: 6 } }, selected: true },
    ]);
  });

  it('of two on the same type, the one that stays still gets every event after the other ends', async () => {
    const appendOfType = async (count: number) => (await appendSuccess(live.gw, { streamId: 'shared-type', events: newEvents(count, 'SharedKey') })).events;
    const staying = await live.ws.subscribeActive<EventView>(BY_EVENT_TYPE, { eventType: 'SharedKey' });
    const leaving = await live.ws.subscribeActive<EventView>(BY_EVENT_TYPE, { eventType: 'SharedKey' });
    const before = await appendOfType(1);
    expect(await leaving.waitForEvents(1)).toEqual(before);

    leaving.unsubscribe();
    await waitUntil(() => activeSubscriptions(live.gw.gateway) === 1, 'the gateway to end the subscription that left');
    const after = await appendOfType(2);
    await expectExactly(() => appendOfType(1), [staying, [...before, ...after]]);
    expect(leaving.events).toEqual(before);
  });
});

describe('byEventPattern (a deep subset of { streamId, type, data, metadata })', () => {
  it('matches type, nested data objects, arrays by equality and metadata together', async () => {
    const pattern = { type: 'OrderPlaced', data: { customer: { tier: 'gold' }, tags: ['rush', 'gift'] }, metadata: { channel: 'web' } };
    const data = (changes: Record<string, unknown> = {}) => ({ customer: { tier: 'gold', name: 'Ann' }, tags: ['rush', 'gift'], total: 3, ...changes });
    const order = (event: Partial<NewEventInput>, selected: boolean, streamId = 'order-1'): Variant => ({
      streamId,
      event: { type: 'OrderPlaced', data: data(), metadata: { channel: 'web', user: 'u1' }, ...event },
      selected,
    });
    await expectSelection(BY_EVENT_PATTERN, { pattern }, [
      order({}, true),
      order({ data: data({ tags: ['gift', 'rush'] }) }, false),
      order({ data: data({ tags: ['rush', 'gift', 'fragile'] }) }, false),
      order({ data: data({ tags: ['rush'] }) }, false),
      order({ data: data({ customer: { tier: 'silver', name: 'Ann' } }) }, false),
      order({ data: data({ customer: 'gold' }) }, false),
      order({ metadata: { user: 'u1' } }, false),
      order({ metadata: null }, false),
      order({ type: 'OrderCancelled' }, false),
      order({ data: { customer: { tier: 'gold', since: 2020 }, tags: ['rush', 'gift'] }, metadata: { channel: 'web' } }, true, 'order-2'),
    ]);
  });

  it('matches on data alone, across streams and types, when the pattern names neither', async () => {
    const pattern = { data: { region: 'eu', flags: { vip: true } } };
    const event = (data: unknown, type = 'CustomerSeen'): NewEventInput => ({ type, data });
    await expectSelection(BY_EVENT_PATTERN, { pattern }, [
      { streamId: 'customer-1', event: event({ region: 'eu', flags: { vip: true, beta: false } }), selected: true },
      { streamId: 'customer-1', event: event({ region: 'eu', flags: { vip: false } }), selected: false },
      { streamId: 'customer-2', event: event({ region: 'us', flags: { vip: true } }), selected: false },
      { streamId: 'customer-2', event: event({ region: 'eu' }), selected: false },
      { streamId: 'customer-3', event: event({ region: 'eu', flags: { vip: true } }, 'CustomerMoved'), selected: true },
      { streamId: 'customer-3', event: event([{ region: 'eu', flags: { vip: true } }]), selected: false },
    ]);
  });

  it('matches a stream id and an exact array value', async () => {
    const pattern = { streamId: 'cart-7', data: { steps: [1, { done: true }] } };
    const event = (data: unknown): NewEventInput => ({ type: 'CartStep', data });
    await expectSelection(BY_EVENT_PATTERN, { pattern }, [
      { streamId: 'cart-7', event: event({ steps: [1, { done: true }], at: 'x' }), selected: true },
      { streamId: 'cart-8', event: event({ steps: [1, { done: true }] }), selected: false },
      { streamId: 'cart-7', event: event({ steps: [1, { done: true, by: 'bot' }] }), selected: false },
      { streamId: 'cart-7', event: event({ steps: [{ done: true }, 1] }), selected: false },
      { streamId: 'cart-70', event: event({ steps: [1, { done: true }] }), selected: false },
    ]);
  });
});

describe('byEventPayload (a deep subset of data)', () => {
  it('matches nested objects, arrays by equality and null, in data only', async () => {
    const payload = { amount: 10, address: { city: 'Paris' }, items: [{ sku: 'a' }], note: null };
    const data = (changes: Record<string, unknown> = {}) => ({
      amount: 10,
      currency: 'EUR',
      address: { city: 'Paris', zip: '75001' },
      items: [{ sku: 'a' }],
      note: null,
      ...changes,
    });
    const invoice = (eventData: unknown, selected: boolean, streamId = 'invoice-1', type = 'InvoiceIssued'): Variant => ({
      streamId,
      event: { type, data: eventData },
      selected,
    });
    const { note: _note, ...withoutNote } = data();
    await expectSelection(BY_EVENT_PAYLOAD, { payload }, [
      invoice(data(), true),
      invoice(data({ amount: 10.5 }), false),
      invoice(data({ amount: '10' }), false),
      invoice(data({ address: { city: 'Lyon', zip: '69001' } }), false),
      invoice(data({ items: [{ sku: 'a', qty: 1 }] }), false),
      invoice(data({ items: [{ sku: 'a' }, { sku: 'b' }] }), false),
      invoice(withoutNote, false),
      invoice(data({ note: 'paid' }), false),
      { streamId: 'invoice-1', event: { type: 'InvoiceIssued', data: { other: true }, metadata: payload }, selected: false },
      invoice(data({ extra: [1, 2, 3] }), true, 'invoice-2', 'InvoiceCorrected'),
    ]);
  });
});
