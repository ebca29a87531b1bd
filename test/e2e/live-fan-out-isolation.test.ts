import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/event-store.js';
import type { RecordedEvent } from '../../src/store/types.js';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useLiveGateway, waitUntil } from '../support/ws-client.js';

const live = useLiveGateway();

const DEPTH = 3_000;

/** `leaf` inside DEPTH nested arrays. */
function deepArray(leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < DEPTH; level++) value = [value];
  return value;
}

const store = (): EventStore => live.gw.gateway.stores.find('default')!;

/**
 * Appends straight to the store: an event nested this deep, and a pattern to
 * match it, would be refused at the API by the JSON depth limit; what is
 * tested here is what fan-out does if one gets through.
 */
async function appendDeepEvent(streamId: string): Promise<void> {
  const data = { nested: deepArray('x') };
  const outcome = await store().log.append({
    streamId,
    expected: { kind: 'any' },
    events: [{ id: randomUUID(), idGenerated: false, type: 'Deep', data, metadata: null, dataJson: JSON.stringify(data), metadataJson: 'null', contentType: 'application/json' }],
  });
  expect(outcome.ok).toBe(true);
}

const injected: AsyncIterableIterator<RecordedEvent>[] = [];

afterEach(async () => {
  for (const subscription of injected.splice(0)) await subscription.return?.();
});

/** Reads a subscriber injected past the API, as graphql-ws would; it is ended after the test. */
function collect(subscription: AsyncIterableIterator<RecordedEvent>) {
  injected.push(subscription);
  const seen = { events: [] as RecordedEvent[], failure: undefined as unknown };
  void (async () => {
    try {
      for await (const event of subscription) seen.events.push(event);
    } catch (failure) {
      seen.failure = failure;
    }
  })();
  return seen;
}

describe('fan-out to many subscribers, one of which cannot take an event', () => {
  it(`matches a pattern ${DEPTH} arrays deep without overflowing the stack, and $all still gets that event and the next`, async () => {
    const all = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: '$all' });
    const deep = collect(await live.gw.gateway.live.subscribe(store(), { kind: 'pattern', pattern: { data: { nested: deepArray('x') } } }, {}));
    await appendDeepEvent('deep');
    const [after] = (await appendSuccess(live.gw, { streamId: 'after-deep', events: newEvents(1) })).events;

    const [deepEvent, next] = await all.waitForEvents(2);
    expect(deepEvent!.streamId).toBe('deep');
    expect(JSON.stringify(deepEvent!.data)).toBe(JSON.stringify({ nested: deepArray('x') }));
    expect(next).toEqual(after);
    await waitUntil(() => deep.events.length === 1, 'the deep pattern to match');
    expect(deep.failure).toBeUndefined();
  });

  it('ends only the subscriber whose filter throws; the others get the event and everything after it', async () => {
    const all = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: '$all' });
    const stream = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'orders' });
    let armed = false;
    const failure = new Error('this pattern cannot be evaluated');
    // A pattern whose test throws once armed (after its history read, which looks at it too).
    const pattern = {
      data: {
        get kind() {
          if (armed) throw failure;
          return 'order';
        },
      },
    };
    const throwing = collect(await live.gw.gateway.live.subscribe(store(), { kind: 'pattern', pattern }, {}));
    const healthy = collect(await live.gw.gateway.live.subscribe(store(), { kind: 'pattern', pattern: { data: { kind: 'order' } } }, {}));
    armed = true;

    const written = (await appendSuccess(live.gw, { streamId: 'orders', events: newEvents(3, 'Placed', () => ({ kind: 'order' })) })).events;
    expect(await all.waitForEvents(3)).toEqual(written);
    expect(await stream.waitForEvents(3)).toEqual(written);
    await waitUntil(() => healthy.events.length === 3 && throwing.failure !== undefined, 'the healthy pattern to match, and the throwing one to end');
    expect(throwing.failure).toBe(failure);
    expect(throwing.events).toEqual([]);
  });
});
