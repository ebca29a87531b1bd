import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../src/subscriptions/history.js';
import { LogReadAhead } from '../../src/subscriptions/persistent/log-read-ahead.js';
import { positionsOf, recordedEvent } from '../support/recorded-event.js';

const event = (position: number) => recordedEvent(position, { data: null });

/**
 * A log whose head is at `end`, holding the given positions of selected events, each read `after` a position,
 * `limit` at a time. As a read narrowed in SQL, a read sees only the selected events: it gets as far as the last of them.
 */
function log(selected: number[], end = Math.max(0, ...selected)) {
  const reads: number[] = [];
  let headsRead = 0;
  const read = async (after: number, limit: number): Promise<HistoryPage> => {
    reads.push(after);
    const page = selected.filter((position) => position > after).slice(0, limit);
    const more = selected.filter((position) => position > after).length > limit;
    return { events: page.map(event), scannedTo: page.length > 0 ? page[page.length - 1]! : after, exhausted: !more };
  };
  const head = async () => {
    headsRead++;
    return end;
  };
  return { read, reads, head, headsRead: () => headsRead };
}

const readAhead = (from: ReturnType<typeof log>, position: number) => new LogReadAhead(from.read, position, from.head);

describe('LogReadAhead', () => {
  it('takes every buffered event when there is room, and moves the cursor past all that was read', async () => {
    const ahead = readAhead(log([12, 15, 18], 20), 10);
    await ahead.fill(100);
    const { events, readPosition } = ahead.take(5);
    expect(positionsOf(events)).toEqual([12, 15, 18]);
    expect(readPosition).toBe(18);
  });

  it('takes as many as there is room for, moving the cursor to the last one taken, and keeps the rest for the next claim', async () => {
    const from = log([12, 15, 18], 20);
    const ahead = readAhead(from, 10);
    await ahead.fill(100);
    expect(ahead.take(2)).toEqual({ events: [event(12), event(15)], readPosition: 15 });
    ahead.moveTo(15);
    await ahead.fill(100);
    expect(ahead.take(2)).toEqual({ events: [event(18)], readPosition: 18 });
    expect(from.reads).toEqual([10]);
  });

  it('with no room leaves the cursor where it is', async () => {
    const ahead = readAhead(log([12]), 10);
    await ahead.fill(100);
    expect(ahead.take(0)).toEqual({ events: [], readPosition: 10 });
  });

  it('moves the cursor to the head past events it does not select, once a read found none selected at the end of the log', async () => {
    const from = log([], 30);
    const ahead = readAhead(from, 10);
    await ahead.fill(100);
    expect(ahead.take(5)).toEqual({ events: [], readPosition: 10 });
    await ahead.fill(100);
    expect(ahead.take(5)).toEqual({ events: [], readPosition: 30 });
    ahead.moveTo(30);
    expect(ahead.mayHaveMore).toBe(false);
    expect(from.headsRead()).toBe(1);
  });

  it('does not ask for the head while its reads find selected events', async () => {
    const from = log([11, 12, 13, 14], 14);
    const ahead = readAhead(from, 10);
    for (const position of [11, 12, 13, 14]) {
      await ahead.fill(1);
      expect(ahead.take(1).events).toEqual([event(position)]);
      ahead.moveTo(position);
    }
    expect(from.headsRead()).toBe(0);
  });

  it('drops what another gateway took, and starts over from a cursor moved past what it read', async () => {
    const from = log([1, 2, 3, 4, 5, 6]);
    const { reads } = from;
    const ahead = readAhead(from, 0);
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
