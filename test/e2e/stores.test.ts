import { describe, expect, it } from 'vitest';
import {
  APPEND,
  EVENT_BY_ID,
  EVENTS_PAGE,
  STORES,
  STREAM_PAGE,
  STREAM_VERSION,
  STREAMS_PAGE,
  type EventByIdData,
  type StoresData,
  type StreamVersionData,
} from '../support/queries.js';
import { appendSuccess, dataOf, newEvents, readAll, readStream, storeView } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway({ stores: ['a', 'b'] });

describe('stores', () => {
  it('lists the configured stores in order, empty at first', async () => {
    expect(dataOf(await gw.gql<StoresData>(STORES)).stores).toEqual([
      { id: 'a', streamCount: 0, eventCount: 0, headPosition: 0 },
      { id: 'b', streamCount: 0, eventCount: 0, headPosition: 0 },
    ]);
  });

  it('what is written to one store is invisible in the other', async () => {
    const written = await appendSuccess(gw, { store: 'a', streamId: 'shared-name', events: newEvents(3) });

    expect(await readStream(gw, 'shared-name', 'a')).toEqual(written.events);
    expect(await readStream(gw, 'shared-name', 'b')).toEqual([]);
    expect(dataOf(await gw.gql<StreamVersionData>(STREAM_VERSION, { store: 'b', streamId: 'shared-name' })).streamVersion).toBe(-1);
    expect(await readAll(gw, 'b')).toEqual([]);
    expect(dataOf(await gw.gql<EventByIdData>(EVENT_BY_ID, { store: 'b', id: written.events[0]!.id })).event).toBeNull();
    expect(dataOf(await gw.gql<EventByIdData>(EVENT_BY_ID, { store: 'a', id: written.events[0]!.id })).event).toEqual(written.events[0]);
    expect(await storeView(gw, 'b')).toEqual({ id: 'b', streamCount: 0, eventCount: 0, headPosition: 0 });
  });

  it('keeps versions, positions and event ids per store', async () => {
    const events = newEvents(2);
    const inA = await appendSuccess(gw, { store: 'a', streamId: 'twin', expectedVersion: -1, events });
    // The same stream id and the same event ids are new in store b.
    const inB = await appendSuccess(gw, { store: 'b', streamId: 'twin', expectedVersion: -1, events });
    expect(inB.version).toBe(1);
    expect(inB.events.map((event) => event.position)).toEqual([1, 2]);
    expect(inA.events.map((event) => event.position)).not.toEqual([1, 2]);
    expect(await storeView(gw, 'b')).toMatchObject({ streamCount: 1, eventCount: 2, headPosition: 2 });
  });

  it('the first store is the default when no store is named', async () => {
    const written = await appendSuccess(gw, { streamId: 'defaulted', events: newEvents(1) });
    expect(await readStream(gw, 'defaulted', 'a')).toEqual(written.events);
    expect(await readStream(gw, 'defaulted')).toEqual(written.events);
    expect(await readStream(gw, 'defaulted', 'b')).toEqual([]);
  });
});

describe('an unknown store', () => {
  const queries: [string, string, Record<string, unknown>][] = [
    ['stream', STREAM_PAGE, { store: 'nope', id: 's' }],
    ['streamVersion', STREAM_VERSION, { store: 'nope', streamId: 's' }],
    ['streams', STREAMS_PAGE, { store: 'nope' }],
    ['events', EVENTS_PAGE, { store: 'nope' }],
    ['event', EVENT_BY_ID, { store: 'nope', id: '00000000-0000-4000-8000-000000000000' }],
  ];

  it.each(queries)('is STORE_NOT_FOUND for the %s query', async (_name, query, variables) => {
    const response = await gw.gql(query, variables);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions?.code).toBe('STORE_NOT_FOUND');
    expect(response.errors![0]!.message).toContain('nope');
  });

  it('is STORE_NOT_FOUND for appendEvents, and nothing is written anywhere', async () => {
    const before = dataOf(await gw.gql<StoresData>(STORES)).stores;
    const response = await gw.gql(APPEND, { input: { store: 'nope', streamId: 's', events: newEvents(1) } });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions?.code).toBe('STORE_NOT_FOUND');
    expect(dataOf(await gw.gql<StoresData>(STORES)).stores).toEqual(before);
  });
});
