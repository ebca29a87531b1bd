import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Erasure } from '../../src/store/erasures.js';
import type { RecordedEvent } from '../../src/store/types.js';
import type { Selection } from '../../src/subscriptions/selection.js';
import type { Subscriber } from '../../src/subscriptions/subscriber.js';
import { deleteStream } from '../support/lifecycle.js';
import { saveSubscription } from '../support/persistent.js';
import { setStreamMetadata } from '../support/stream-metadata.js';
import { appendSuccess, newEvents, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * A subscriber replaying history holds events read but not yet sent (its
 * consumer is slower than the database). Those of a stream erased meanwhile
 * must not reach it once the erasure is answered, whichever gateway made it.
 */
describe('events erased while a subscriber replays history', () => {
  let here: TestGateway;
  let elsewhere: TestGateway;
  beforeAll(async () => {
    here = await startTestGateway();
    elsewhere = await startTestGateway({ databaseUrl: here.databaseUrl });
  });
  afterAll(async () => {
    await elsewhere?.stop({ keepDatabase: true });
    await here?.stop();
  });

  /** 2,000 events, blocks of 100 taking turns between `kept` and `doomed`, so each page read holds both; answers where they start. */
  async function history(kept: string, doomed: string): Promise<number> {
    let start = 0;
    for (let block = 0; block < 10; block++) {
      const { events } = await appendSuccess(here, { streamId: kept, events: newEvents(100) });
      start ||= events[0]!.position;
      await appendSuccess(here, { streamId: doomed, events: newEvents(100) });
    }
    return start;
  }

  function subscribe(gateway: TestGateway, selection: Selection, fromPosition?: number): Promise<Subscriber> {
    const store = gateway.gateway.stores.find('default')!;
    return gateway.gateway.live.subscribe(store, selection, fromPosition === undefined ? {} : { fromPosition });
  }

  async function take<T = RecordedEvent>(subscriber: AsyncIterator<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no event within 10 s')), 10_000)));
    try {
      const result = await Promise.race([subscriber.next(), timeout]);
      if (result.done) throw new Error('the subscription ended');
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What the subscriber hands on until it has handed on every one of `kept`'s 1,000 events. */
  async function rest(subscriber: Subscriber, kept: string, keptSoFar: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let keptEvents = keptSoFar;
    while (keptEvents < 1_000) {
      const event = await take(subscriber);
      events.push(event);
      if (event.streamId === kept) keptEvents++;
    }
    return events;
  }

  /**
   * Runs `erase` through the other gateway, then waits until this one has
   * heard of it: the store tells gateways of commits in their order, so the
   * notice of a marker appended next comes after the erasure's.
   */
  async function heardHere(marker: string, erase: () => Promise<unknown>): Promise<void> {
    const markers = await subscribe(here, { kind: 'stream', streamId: marker });
    await erase();
    await appendSuccess(elsewhere, { streamId: marker, events: newEvents(1) });
    expect((await take(markers)).streamId).toBe(marker);
    await markers.return();
  }

  it('a deletion through the same gateway: none of the stream\'s events come after its answer', async () => {
    const subscriber = await subscribe(here, { kind: 'all' }, await history('kept-1', 'doomed-1'));
    expect((await take(subscriber)).streamId).toBe('kept-1');
    expect(await deleteStream(here, { streamId: 'doomed-1' })).toMatchObject({ __typename: 'DeleteStreamSuccess', erasedEvents: 1_000 });
    const after = await rest(subscriber, 'kept-1', 1);
    await subscriber.return();
    expect(after.filter((event) => event.streamId === 'doomed-1')).toEqual([]);
  });

  it('a deletion through another gateway: none come once this gateway has heard of it', async () => {
    const subscriber = await subscribe(here, { kind: 'all' }, await history('kept-2', 'doomed-2'));
    expect((await take(subscriber)).streamId).toBe('kept-2');
    await heardHere('marker-2', async () => {
      expect(await deleteStream(elsewhere, { streamId: 'doomed-2' })).toMatchObject({ __typename: 'DeleteStreamSuccess' });
    });
    const after = await rest(subscriber, 'kept-2', 1);
    await subscriber.return();
    expect(after.filter((event) => event.streamId === 'doomed-2')).toEqual([]);
  });

  it('a truncation (truncateBefore) through another gateway: what it hides does not come either', async () => {
    const subscriber = await subscribe(here, { kind: 'all' }, await history('kept-3', 'truncated-3'));
    expect((await take(subscriber)).streamId).toBe('kept-3');
    await heardHere('marker-3', () => setStreamMetadata(elsewhere, { streamId: 'truncated-3', truncateBefore: 900 }));
    const after = await rest(subscriber, 'kept-3', 1);
    const truncated = [...after, ...(await drain(subscriber))].filter((event) => event.streamId === 'truncated-3');
    await subscriber.return();
    expect(truncated.length).toBeGreaterThan(0);
    expect(truncated.filter((event) => event.version < 900)).toEqual([]);
  });

  it('tells of a metadata change only when it hides more of the stream than before', async () => {
    await appendSuccess(here, { streamId: 'limited-4', events: newEvents(10) });
    const told: Erasure[] = [];
    const stop = here.gateway.stores.find('default')!.erasures.listen((erasure) => told.push(erasure));
    try {
      await setStreamMetadata(here, { streamId: 'limited-4', truncateBefore: 5 });
      await setStreamMetadata(here, { streamId: 'limited-4', truncateBefore: 5, custom: { owner: 'ops' } });
      await setStreamMetadata(here, { streamId: 'limited-4', truncateBefore: 3 });
      await setStreamMetadata(here, { streamId: 'limited-4', maxCount: 2 });
    } finally {
      stop();
    }
    expect(told).toEqual([
      { streamId: 'limited-4', beforeVersion: 5 },
      { streamId: 'limited-4', beforeVersion: 8 },
    ]);
  });

  it('a deletion: a persistent consumer is handed none of the stream\'s events it was still to get, and gets the rest', async () => {
    await appendSuccess(here, { streamId: 'doomed-5', events: newEvents(10, 'Erasable') });
    await appendSuccess(here, { streamId: 'kept-5', events: newEvents(3, 'Erasable') });
    await saveSubscription(here, { name: 'erasable', type: 'BY_EVENT_TYPE', selector: 'Erasable', maxInFlight: 10, startFrom: 1 });
    const store = here.gateway.stores.find('default')!;
    const consumer = (await here.gateway.persistent.hub(store).consume('erasable', randomBytes(16)))!;
    try {
      // Ten leased at once: one handed on, nine waiting for the consumer.
      expect((await take(consumer)).event.streamId).toBe('doomed-5');
      expect(await deleteStream(here, { streamId: 'doomed-5' })).toMatchObject({ __typename: 'DeleteStreamSuccess' });
      const rest = [await take(consumer), await take(consumer), await take(consumer)];
      expect(rest.map((delivery) => delivery.event.streamId)).toEqual(['kept-5', 'kept-5', 'kept-5']);
    } finally {
      await consumer.return();
    }
  });

  /** The subscriber's events up to the marker of the test, which was appended last. */
  async function drain(subscriber: Subscriber): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const event = await take(subscriber);
      if (event.streamId.startsWith('marker-')) return events;
      events.push(event);
    }
  }
});
