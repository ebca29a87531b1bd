import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../src/subscriptions/history.js';
import { LogReadAhead } from '../../src/subscriptions/persistent/log-read-ahead.js';
import { positionsOf, recordedEvent } from '../support/recorded-event.js';

const event = (position: number) => recordedEvent(position, { data: null });

/** A log holding the given positions of selected events, each read `after` a position, `limit` at a time; `scanned` is how far each read got. */
function log(selected: number[], end = Math.max(0, ...selected)) {
  const reads: number[] = [];
  const read = async (after: number, limit: number): Promise<HistoryPage> => {
    reads.push(after);
    const page = selected.filter((position) => position > after).slice(0, limit);
    const more = selected.filter((position) => position > after).length > limit;
    return { events: page.map(event), scannedTo: more ? page[page.length - 1]! : Math.max(after, end), exhausted: !more };
  };
  return { read, reads };
}

describe('LogReadAhead', () => {
  it('takes every buffered event when there is room, and moves the cursor past all that was read', async () => {
    const ahead = new LogReadAhead(log([12, 15, 18], 20).read, 10);
    await ahead.fill(100);
    const { events, readPosition } = ahead.take(5);
    expect(positionsOf(events)).toEqual([12, 15, 18]);
    expect(readPosition).toBe(20);
  });

  it('takes as many as there is room for, moving the cursor to the last one taken, and keeps the rest for the next claim', async () => {
    const { read, reads } = log([12, 15, 18], 20);
    const ahead = new LogReadAhead(read, 10);
    await ahead.fill(100);
    expect(ahead.take(2)).toEqual({ events: [event(12), event(15)], readPosition: 15 });
    ahead.moveTo(15);
    await ahead.fill(100);
    expect(ahead.take(2)).toEqual({ events: [event(18)], readPosition: 20 });
    expect(reads).toEqual([10]);
  });

  it('with no room leaves the cursor where it is', async () => {
    const ahead = new LogReadAhead(log([12]).read, 10);
    await ahead.fill(100);
    expect(ahead.take(0)).toEqual({ events: [], readPosition: 10 });
  });

  it('moves the cursor past events it does not select', async () => {
    const ahead = new LogReadAhead(log([], 30).read, 10);
    await ahead.fill(100);
    expect(ahead.take(5)).toEqual({ events: [], readPosition: 30 });
    ahead.moveTo(30);
    expect(ahead.mayHaveMore).toBe(false);
  });

  it('drops what another gateway took, and starts over from a cursor moved past what it read', async () => {
    const { read, reads } = log([1, 2, 3, 4, 5, 6]);
    const ahead = new LogReadAhead(read, 0);
    await ahead.fill(3);
    ahead.moveTo(2);
    expect(ahead.take(5).events).toEqual([event(3)]);
    ahead.moveTo(5);
    expect(ahead.mayHaveMore).toBe(true);
    await ahead.fill(3);
    expect(ahead.take(5)).toEqual({ events: [event(6)], readPosition: 6 });
    expect(reads).toEqual([0, 5]);
  });
});
