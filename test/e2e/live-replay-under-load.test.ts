import { describe, expect, it } from 'vitest';
import { BY_EVENT_TYPE, BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents, readAll } from '../support/test-gateway.js';
import { expectExactly, useLiveGateway, waitForNoLiveResources } from '../support/ws-client.js';

const WRITERS = 10;
const EVENTS_PER_WRITER = 200;
const HISTORY = 3_000;

const live = useLiveGateway();

/**
 * Appends of 1 to 5 events until `count` are written (or `stop` says so),
 * alternating between a stream of its own and streams all writers share.
 */
async function writer(index: number, count: number, stop = () => false): Promise<void> {
  let written = 0;
  for (let round = 0; written < count && !stop(); round++) {
    const size = Math.min(1 + ((round + index) % 5), count - written);
    const streamId = round % 2 === 0 ? `writer-${index}` : `shared-${round % 3}`;
    await appendSuccess(live.gw, { streamId, events: newEvents(size, `Written${index}`) });
    written += size;
  }
}

/** Positions that do not follow each other in a list of global positions, as "a→b". */
function gapsIn(positions: number[]): string[] {
  return positions.slice(1).flatMap((position, index) => (position === positions[index]! + 1 ? [] : [`${positions[index]}→${position}`]));
}

describe('replay then live under load', () => {
  it(`a subscriber replaying from a position while ${WRITERS} writers append ${EVENTS_PER_WRITER} events each sees every event once, in position order`, async () => {
    for (let written = 0; written < HISTORY; written += 500) {
      await appendSuccess(live.gw, { streamId: `history-${written}`, events: newEvents(500, 'Written3') });
    }
    const all = live.ws.subscribe<EventView>(BY_STREAM, { streamId: '$all', fromPosition: 1 });
    const ofType = live.ws.subscribe<EventView>(BY_EVENT_TYPE, { eventType: 'Written3', fromPosition: 1 });
    // The writers start while both are still replaying the history.
    await Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(index, EVENTS_PER_WRITER)));

    const log = await readAll(live.gw);
    expect(log).toHaveLength(HISTORY + WRITERS * EVENTS_PER_WRITER);
    await expectExactly(
      async () => (await appendSuccess(live.gw, { streamId: 'marker', events: newEvents(1, 'Written3') })).events,
      [all, log],
      [ofType, log.filter((event) => event.type === 'Written3')],
    );
    expect(gapsIn(all.events.map((event) => event.position))).toEqual([]);
  });

  // Each start is a chance for a commit to land between the subscriber's first history read and the
  // position the live feed starts from; many starts under steady writes make a lost event likely to show.
  it('live subscriptions that start while writers append miss no event committed after their start', async () => {
    let writing = true;
    const writers = Array.from({ length: WRITERS }, (_, index) => writer(index, Infinity, () => !writing));
    try {
      for (let attempt = 0; attempt < 40; attempt++) {
        // The gateway has no other subscription: each one starts the store's live feed anew.
        const sub = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: '$all' });
        await sub.waitForEvents(20);
        sub.unsubscribe();
        await waitForNoLiveResources(live.gw.gateway);
        expect(gapsIn(sub.events.map((event) => event.position)), `attempt ${attempt}`).toEqual([]);
      }
    } finally {
      writing = false;
      await Promise.all(writers);
    }
  });
});
