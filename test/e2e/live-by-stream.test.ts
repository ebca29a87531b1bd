import { describe, expect, it } from 'vitest';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents, readAll, readStream } from '../support/test-gateway.js';
import { activeSubscriptions, expectExactly, useLiveGateway, waitUntil } from '../support/ws-client.js';

// Each test's subscriptions end with it; the next one starts on a gateway with none.
const live = useLiveGateway();

/** Appends a marker event to a stream: the next event a subscription that selects that stream must see. */
const marker = (streamId: string) => async () => (await appendSuccess(live.gw, { streamId, events: newEvents(1, 'Marker') })).events;

/** Appends one event per call, `count` times, to a stream: many commits for a subscription to join in between. */
async function appendOneByOne(streamId: string, count: number, type = 'Ticked'): Promise<EventView[]> {
  const written: EventView[] = [];
  for (let index = 0; index < count; index++) {
    written.push(...(await appendSuccess(live.gw, { streamId, events: newEvents(1, type, () => ({ index })) })).events);
  }
  return written;
}

describe('byStream on one stream', () => {
  it('without a start point delivers only the events appended after it started, of that stream, with every field', async () => {
    await appendSuccess(live.gw, { streamId: 'orders-1', events: newEvents(3) });
    const sub = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'orders-1' });

    await appendSuccess(live.gw, { streamId: 'orders-2', events: newEvents(2) });
    const first = await appendSuccess(live.gw, {
      streamId: 'orders-1',
      events: [{ type: 'OrderPlaced', data: { total: 12.5, lines: [{ sku: 'a', qty: 2 }] }, metadata: { user: 'u1' } }],
    });
    await appendSuccess(live.gw, { streamId: 'orders-10', events: newEvents(1) });
    const second = await appendSuccess(live.gw, { streamId: 'orders-1', events: newEvents(2, 'OrderShipped') });

    const expected = [...first.events, ...second.events];
    expect(expected.map((event) => event.version)).toEqual([3, 4, 5]);
    await expectExactly(marker('orders-1'), [sub, expected]);
  });

  it('with fromVersion replays from that version (inclusive), then goes live with no gap and no duplicate', async () => {
    await appendSuccess(live.gw, { streamId: 'replay-v', events: newEvents(5) });
    const sub = live.ws.subscribe<EventView>(BY_STREAM, { streamId: 'replay-v', fromVersion: 2 });
    // Appends race the replay: the switch from history to live happens somewhere among them.
    await appendOneByOne('replay-v', 30);

    const stream = await readStream(live.gw, 'replay-v');
    expect(stream).toHaveLength(35);
    await expectExactly(marker('replay-v'), [sub, stream.slice(2)]);
    expect(sub.events.map((event) => event.version)).toEqual(Array.from({ length: 34 }, (_, index) => index + 2));
  });

  it('with fromVersion 0 on a stream that does not exist yet delivers its events from the first', async () => {
    const sub = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'not-yet', fromVersion: 0 });
    const written = await appendSuccess(live.gw, { streamId: 'not-yet', events: newEvents(3) });
    await expectExactly(marker('not-yet'), [sub, written.events]);
  });

  it('with fromPosition starts at the first event of the stream at or after that global position', async () => {
    await appendSuccess(live.gw, { streamId: 'replay-p', events: newEvents(2) });
    await appendSuccess(live.gw, { streamId: 'elsewhere', events: newEvents(2) });
    const later = await appendSuccess(live.gw, { streamId: 'replay-p', events: newEvents(2) });
    // A position held by another stream: the stream's next event after it is the first delivered.
    const from = later.events[0]!.position - 1;
    const sub = live.ws.subscribe<EventView>(BY_STREAM, { streamId: 'replay-p', fromPosition: from });
    const appended = await appendOneByOne('replay-p', 5);
    await expectExactly(marker('replay-p'), [sub, [...later.events, ...appended]]);
  });
});

describe('two subscriptions on the same stream', () => {
  it('when one ends, the other still gets every event after', async () => {
    const staying = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'shared-key' });
    const leaving = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'shared-key' });
    const before = (await appendSuccess(live.gw, { streamId: 'shared-key', events: newEvents(1) })).events;
    expect(await leaving.waitForEvents(1)).toEqual(before);

    leaving.unsubscribe();
    await waitUntil(() => activeSubscriptions(live.gw.gateway) === 1, 'the gateway to end the subscription that left');
    const after = (await appendSuccess(live.gw, { streamId: 'shared-key', events: newEvents(2) })).events;
    await expectExactly(marker('shared-key'), [staying, [...before, ...after]]);
    expect(leaving.events).toEqual(before);
  });
});

describe('many subscriptions started at once', () => {
  it('each starts at the end of its own stream, or of the log, as if it had started alone', async () => {
    const streams = Array.from({ length: 90 }, (_, index) => `burst-${index}`);
    // Streams of different lengths: a start read for the wrong stream would replay or skip.
    await Promise.all(streams.map((streamId, index) => (index % 4 === 0 ? null : appendSuccess(live.gw, { streamId, events: newEvents(index % 4) }))));

    const byStream = streams.map((streamId) => live.ws.subscribe<EventView>(BY_STREAM, { streamId }));
    const allStreams = Array.from({ length: 10 }, () => live.ws.subscribe<EventView>(BY_STREAM, { streamId: '$all' }));
    await waitUntil(() => activeSubscriptions(live.gw.gateway) === 100, 'all 100 subscriptions to start');

    const markers = await Promise.all(streams.map(async (streamId) => (await marker(streamId)())[0]!));
    for (const [index, sub] of byStream.entries()) {
      expect(await sub.waitForEvents(1)).toEqual([markers[index]]);
      expect(markers[index]!.version).toBe(index % 4);
    }
    const inLogOrder = [...markers].sort((a, b) => Number(a.position) - Number(b.position));
    for (const sub of allStreams) expect(await sub.waitForEvents(markers.length)).toEqual(inLogOrder);
  });
});

describe('byStream "$all"', () => {
  it('without a start point delivers every stream\'s events appended after it started, in position order', async () => {
    await appendSuccess(live.gw, { streamId: 'before-all', events: newEvents(2) });
    const sub = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: '$all' });
    const written: EventView[] = [];
    for (const streamId of ['a-1', 'b-1', 'a-1', 'c-1']) {
      written.push(...(await appendSuccess(live.gw, { streamId, events: newEvents(2) })).events);
    }
    await expectExactly(marker('d-1'), [sub, written]);
  });

  it('with fromPosition replays the global log from that position (inclusive), then goes live with no gap and no duplicate', async () => {
    const history = await readAll(live.gw);
    const from = history[Math.floor(history.length / 2)]!.position;
    const sub = live.ws.subscribe<EventView>(BY_STREAM, { streamId: '$all', fromPosition: from });
    const writes = ['x-1', 'x-2', 'x-3'].map((streamId) => appendOneByOne(streamId, 10));
    await Promise.all(writes);

    const log = (await readAll(live.gw)).filter((event) => event.position >= from);
    expect(log[0]!.position).toBe(from);
    await expectExactly(marker('x-1'), [sub, log]);
  });
});
