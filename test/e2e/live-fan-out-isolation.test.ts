import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/event-store.js';
import type { RecordedEvent } from '../../src/store/types.js';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { subscribeSse } from '../support/sse-client.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { activeSubscriptions, startActive, useLiveGateway, waitUntil, type Collected } from '../support/ws-client.js';

const logged: { message: string; cause: unknown }[] = [];
const live = useLiveGateway({ log: { info: () => undefined, error: (message, cause) => logged.push({ message, cause }) } });

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
 * tested here is what fan-out does if one gets through (another writer, an
 * older version). `dataJson` is given as text when JSON.stringify cannot make it.
 */
async function appendDeepEvent(streamId: string, data: unknown = { nested: deepArray('x') }, dataJson = JSON.stringify(data)): Promise<void> {
  const outcome = await store().log.append({
    streamId,
    expected: { kind: 'any' },
    events: [{ id: randomUUID(), idGenerated: false, type: 'Deep', data, metadata: null, dataJson, metadataJson: 'null', contentType: 'application/json' }],
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

  it('ends only the subscriptions an event too deep to serialise is sent to, over graphql-ws and SSE, with a masked error; their sockets and the others go on', async () => {
    // Deeper than JSON.stringify can recurse, not than PostgreSQL's jsonb can nest.
    const depth = 10_000;
    const dataJson = `{"nested":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const connection = await live.connect();
    const allOverWs = await connection.subscribeActive<EventView>(BY_STREAM, { streamId: '$all' });
    const nextOverWs = await connection.subscribeActive<EventView>(BY_STREAM, { streamId: 'after-deeper' });
    const sse = (streamId: string) =>
      startActive(live.gw.gateway, () => subscribeSse<EventView>(live.gw.url, { method: 'POST', query: BY_STREAM, variables: { streamId } }));
    const allOverSse = await sse('$all');
    const nextOverSse = await sse('after-deeper');
    const running = activeSubscriptions(live.gw.gateway);
    logged.length = 0;

    await appendDeepEvent('deeper', JSON.parse(dataJson), dataJson);
    const [after] = (await appendSuccess(live.gw, { streamId: 'after-deeper', events: newEvents(1) })).events;

    expect(await nextOverWs.waitForEvents(1)).toEqual([after]);
    expect(await nextOverSse.waitForEvents(1)).toEqual([after]);
    for (const failed of [allOverWs, allOverSse] as Collected<EventView>[]) {
      expect((await failed.waitForErrors()).map((error) => error.message)).toEqual(['Unexpected error.']);
      await waitUntil(() => failed.done, 'the subscription to end');
      expect(failed.events).toEqual([]);
    }
    expect(connection.closes).toEqual([]);
    await waitUntil(() => activeSubscriptions(live.gw.gateway) === running - 2, 'the gateway to let go of the two ended subscriptions');
    // The cause is the operator's: logged, and once per interval, however many subscribers hit it.
    expect(logged.map((line) => [line.message, (line.cause as Error).name])).toEqual([['unexpected error', 'RangeError']]);
    nextOverSse.unsubscribe();

    // A query that reads it is answered the same way, on the fast POST path and through yoga (GET).
    const query = '{ stream(id: "deeper") { events(first: 1) { edges { node { id data } } } } }';
    const viaGet = new URL(live.gw.url);
    viaGet.searchParams.set('query', query);
    for (const answer of [await live.gw.gql(query), await (await fetch(viaGet, { headers: { accept: 'application/json' } })).json()]) {
      expect(answer).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  });
});
