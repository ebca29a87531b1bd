import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/store/types.js';
import { FanOutIndex, type Recipient } from '../../src/subscriptions/fan-out-index.js';
import type { Selection } from '../../src/subscriptions/selection.js';
import { positionsOf, recordedEvent } from '../support/recorded-event.js';

/** A recipient that keeps what it is offered; filtering is the subscriber's job, not the index's. */
function recipient(selection: Selection): Recipient & { offered: RecordedEvent[] } {
  const offered: RecordedEvent[] = [];
  return { selection, offered, offer: (event) => offered.push(event), forget: () => undefined, fail: () => undefined };
}

const placed = recordedEvent(1, { streamId: 'order-1', type: 'OrderPlaced' });
const paid = recordedEvent(2, { streamId: 'order-1', type: 'OrderPaid' });
const shipped = recordedEvent(3, { streamId: 'order-2', type: 'OrderShipped' });

function dispatchAll(index: FanOutIndex) {
  for (const event of [placed, paid, shipped]) index.dispatch(event);
}

describe('FanOutIndex', () => {
  it('offers an event to the subscriptions of its stream, of its type, and to those that see every event', () => {
    const index = new FanOutIndex();
    const byStream = recipient({ kind: 'stream', streamId: 'order-1' });
    const byType = recipient({ kind: 'type', eventType: 'OrderShipped' });
    const everything = recipient({ kind: 'all' });
    const payload = recipient({ kind: 'payload', payload: { total: 5 } });
    for (const each of [byStream, byType, everything, payload]) index.add(each);
    dispatchAll(index);
    expect(positionsOf(byStream.offered)).toEqual([1, 2]);
    expect(positionsOf(byType.offered)).toEqual([3]);
    expect(positionsOf(everything.offered)).toEqual([1, 2, 3]);
    expect(positionsOf(payload.offered)).toEqual([1, 2, 3]);
  });

  it('files a pattern under the stream or type it names exactly, and with every event when it names neither', () => {
    const index = new FanOutIndex();
    const onStream = recipient({ kind: 'pattern', pattern: { streamId: 'order-2', data: {} } });
    const onType = recipient({ kind: 'pattern', pattern: { type: 'OrderPaid' } });
    const onData = recipient({ kind: 'pattern', pattern: { data: { total: 5 } } });
    for (const each of [onStream, onType, onData]) index.add(each);
    dispatchAll(index);
    expect(positionsOf(onStream.offered)).toEqual([3]);
    expect(positionsOf(onType.offered)).toEqual([2]);
    expect(positionsOf(onData.offered)).toEqual([1, 2, 3]);
  });

  it('keeps serving a stream after one of its two subscriptions leaves', () => {
    const index = new FanOutIndex();
    const leaving = recipient({ kind: 'stream', streamId: 'order-1' });
    const staying = recipient({ kind: 'stream', streamId: 'order-1' });
    const typed = [recipient({ kind: 'type', eventType: 'OrderPaid' }), recipient({ kind: 'type', eventType: 'OrderPaid' })];
    for (const each of [leaving, staying, ...typed]) index.add(each);
    index.remove(leaving);
    index.remove(typed[0]!);
    dispatchAll(index);
    expect(leaving.offered).toEqual([]);
    expect(positionsOf(staying.offered)).toEqual([1, 2]);
    expect(typed[0]!.offered).toEqual([]);
    expect(positionsOf(typed[1]!.offered)).toEqual([2]);
  });

  it('offers nothing once every subscription left, and serves one that comes back', () => {
    const index = new FanOutIndex();
    const first = recipient({ kind: 'stream', streamId: 'order-1' });
    index.add(first);
    index.remove(first);
    const again = recipient({ kind: 'stream', streamId: 'order-1' });
    index.add(again);
    dispatchAll(index);
    expect(first.offered).toEqual([]);
    expect(positionsOf(again.offered)).toEqual([1, 2]);
  });

  it('counts each subscription once, however often it is added or removed', () => {
    const index = new FanOutIndex();
    const one = recipient({ kind: 'all' });
    const two = recipient({ kind: 'stream', streamId: 'order-1' });
    index.add(one);
    index.add(one);
    index.add(two);
    expect(index.size).toBe(2);
    index.remove(two);
    index.remove(two);
    index.remove(recipient({ kind: 'stream', streamId: 'never-added' }));
    expect(index.size).toBe(1);
    index.dispatch(placed);
    expect(one.offered).toHaveLength(1);
  });

  it('ends only the recipient whose offer throws: the others, before and after it, still get the event', () => {
    const index = new FanOutIndex();
    const before = recipient({ kind: 'all' });
    const failures: unknown[] = [];
    const failure = new RangeError('Maximum call stack size exceeded');
    const throwing: Recipient = {
      selection: { kind: 'all' },
      offer: () => {
        throw failure;
      },
      forget: () => undefined,
      fail: (error) => {
        failures.push(error);
        index.remove(throwing);
      },
    };
    const after = recipient({ kind: 'all' });
    const sameStream = recipient({ kind: 'stream', streamId: 'order-1' });
    for (const each of [before, throwing, after, sameStream]) index.add(each);
    expect(() => dispatchAll(index)).not.toThrow();
    expect(failures).toEqual([failure]);
    expect(positionsOf(before.offered)).toEqual([1, 2, 3]);
    expect(positionsOf(after.offered)).toEqual([1, 2, 3]);
    expect(positionsOf(sameStream.offered)).toEqual([1, 2]);
    expect(index.size).toBe(3);
  });
  it('finds for an erasure the subscriptions that may hold its stream\'s events, and no other stream\'s', () => {
    const index = new FanOutIndex();
    const own = recipient({ kind: 'stream', streamId: 'order-1' });
    const other = recipient({ kind: 'stream', streamId: 'order-2' });
    const byType = recipient({ kind: 'type', eventType: 'OrderPaid' });
    const all = recipient({ kind: 'all' });
    for (const each of [own, other, byType, all]) index.add(each);
    expect([...index.concerning('order-1')]).toEqual([own, byType, all]);
  });
});
