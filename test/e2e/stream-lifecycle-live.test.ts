import { describe, expect, it } from 'vitest';
import { appendToStreams, appendWithCondition, deleteStream } from '../support/lifecycle.js';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents, readAll } from '../support/test-gateway.js';
import { useLiveGateway } from '../support/ws-client.js';

const live = useLiveGateway();

describe('a live $all subscriber through deletions, multi-stream and conditional appends', () => {
  it('sees every surviving event exactly once, in order, and erased events only if it had them before the erasure', async () => {
    const all = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: '$all' });
    const replaying = live.ws.subscribe<EventView>(BY_STREAM, { streamId: '$all', fromPosition: 1 });

    const soft = await appendSuccess(live.gw, { streamId: 'doomed-soft', events: newEvents(5) });
    const hard = await appendSuccess(live.gw, { streamId: 'doomed-hard', events: newEvents(3) });
    const erasedIds = new Set([...soft.events, ...hard.events].map((event) => event.id));

    const transfers = Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        appendToStreams(live.gw, {
          streams: [
            { streamId: `account-${index % 3}`, events: [{ type: 'Debited', data: { index } }] },
            { streamId: `account-${(index + 1) % 3}`, events: [{ type: 'Credited', data: { index } }] },
          ],
        }),
      ),
    );
    const seats = Promise.all(
      Array.from({ length: 20 }, (_, client) =>
        appendWithCondition(live.gw, {
          streamId: `seat-client-${client}`,
          events: [{ type: 'SeatReserved', data: { seat: client % 5 } }],
          condition: { failIfEventsMatch: { eventTypes: ['SeatReserved'], pattern: { data: { seat: client % 5 } } } },
        }),
      ),
    );
    const singles = Promise.all(Array.from({ length: 20 }, (_, index) => appendSuccess(live.gw, { streamId: `single-${index % 4}`, events: newEvents(2) })));
    const deletions = Promise.all([deleteStream(live.gw, { streamId: 'doomed-soft' }), deleteStream(live.gw, { streamId: 'doomed-hard', hard: true })]);
    const [, seatAnswers, , deleted] = await Promise.all([transfers, seats, singles, deletions]);
    expect(deleted.map((answer) => answer.__typename)).toEqual(['DeleteStreamSuccess', 'DeleteStreamSuccess']);
    expect(seatAnswers.filter((answer) => answer.__typename === 'AppendEventsSuccess')).toHaveLength(5);
    await appendSuccess(live.gw, { streamId: 'doomed-soft', events: newEvents(2) });
    const marker = await appendSuccess(live.gw, { streamId: 'marker', events: newEvents(1, 'Marker') });

    const surviving = await readAll(live.gw);
    expect(surviving.some((event) => erasedIds.has(event.id))).toBe(false);
    // Started after everything, from the first position: history holds no erased event.
    const late = live.ws.subscribe<EventView>(BY_STREAM, { streamId: '$all', fromPosition: 1 });
    expect(await late.waitForEvents(surviving.length)).toEqual(surviving);

    for (const sub of [all, replaying]) {
      await sub.waitForEvents(1);
      await waitForMarker(sub, marker.events[0]!.id);
      const positions = sub.events.map((event) => event.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
      const received = new Set(sub.events.map((event) => event.id));
      expect(surviving.filter((event) => !received.has(event.id))).toEqual([]);
      expect(sub.events.filter((event) => !surviving.some((kept) => kept.id === event.id)).every((event) => erasedIds.has(event.id))).toBe(true);
    }
  });
});

async function waitForMarker(sub: { events: EventView[]; waitForEvents(count: number): Promise<EventView[]> }, markerId: string): Promise<void> {
  while (!sub.events.some((event) => event.id === markerId)) await sub.waitForEvents(sub.events.length + 1);
}
