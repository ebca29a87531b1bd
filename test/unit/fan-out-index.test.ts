import { describe, expect, it } from 'vitest';
import { FanOutIndex, type Recipient } from '../../src/subscriptions/fan-out-index.js';
import type { Selection } from '../../src/subscriptions/selection.js';
import type { RecordedEvent } from '../../src/store/types.js';

/** A recipient that keeps the ids of what it is offered: the index's routing is what is under test. */
function recipient(selection: Selection): Recipient & { offered: string[] } {
  const offered: string[] = [];
  return { selection, offered, offer: (event) => offered.push(event.id) };
}

let position = 0;
function event(streamId: string, type: string): RecordedEvent {
  position++;
  return { id: `e${position}`, streamId, version: 0, position, type, data: {}, metadata: null, contentType: 'application/json', createdEpoch: 0 };
}

const sameKey: [string, Selection, RecordedEvent['streamId'], RecordedEvent['type']][] = [
  ['stream', { kind: 'stream', streamId: 'order-1' }, 'order-1', 'Placed'],
  ['event type', { kind: 'type', eventType: 'Placed' }, 'order-2', 'Placed'],
  ['stream named by a pattern', { kind: 'pattern', pattern: { streamId: 'order-3' } }, 'order-3', 'Placed'],
  ['every event', { kind: 'all' }, 'order-4', 'Placed'],
];

describe.each(sameKey)('two recipients filed under the same %s', (_, selection, streamId, type) => {
  it('the one that stays still gets the events after the other is removed, and the removed one gets none', async () => {
    const index = new FanOutIndex();
    const [staying, leaving] = [recipient(selection), recipient(selection)];
    index.add(staying);
    index.add(leaving);
    const before = event(streamId, type);
    index.dispatch(before);

    index.remove(leaving);
    const after = event(streamId, type);
    index.dispatch(after);

    expect(staying.offered).toEqual([before.id, after.id]);
    expect(leaving.offered).toEqual([before.id]);
    expect(index.size).toBe(1);
  });

  it('once both are removed, nothing is offered and the index is empty', async () => {
    const index = new FanOutIndex();
    const [first, second] = [recipient(selection), recipient(selection)];
    index.add(first);
    index.add(second);
    index.remove(first);
    index.remove(second);
    index.dispatch(event(streamId, type));
    expect([first.offered, second.offered, index.size]).toEqual([[], [], 0]);
  });
});
