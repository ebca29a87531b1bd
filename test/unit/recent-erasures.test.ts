import { describe, expect, it } from 'vitest';
import { RecentErasures, type ErasedSince } from '../../src/subscriptions/recent-erasures.js';
import { recordedEvent } from '../support/recorded-event.js';

function asTest(erased: ErasedSince): (event: ReturnType<typeof recordedEvent>) => boolean {
  if (typeof erased !== 'function') throw new Error(`expected a test, got ${String(erased)}`);
  return erased;
}

describe('RecentErasures', () => {
  it('tells a read what was erased since it began, and nothing when nothing was', () => {
    const erasures = new RecentErasures();
    erasures.add({ streamId: 'before', beforeVersion: 10 });
    const mark = erasures.mark();
    expect(erasures.since(mark)).toBeNull();
    erasures.add({ streamId: 'a', beforeVersion: 3 });
    const erased = asTest(erasures.since(mark));
    expect(erased(recordedEvent(1, { streamId: 'a', version: 2 }))).toBe(true);
    expect(erased(recordedEvent(2, { streamId: 'a', version: 3 }))).toBe(false);
    expect(erased(recordedEvent(3, { streamId: 'b', version: 1 }))).toBe(false);
    // Erased before the read began: the read itself did not see it.
    expect(erased(recordedEvent(4, { streamId: 'before', version: 1 }))).toBe(false);
  });

  it('counts an erasure heard twice, or one that erases nothing new, once; one that erases more counts', () => {
    const erasures = new RecentErasures();
    erasures.add({ streamId: 'a', beforeVersion: 5 });
    const mark = erasures.mark();
    erasures.add({ streamId: 'a', beforeVersion: 5 });
    erasures.add({ streamId: 'a', beforeVersion: 3 });
    expect(erasures.since(mark)).toBeNull();
    erasures.add({ streamId: 'a', beforeVersion: 8 });
    const erased = asTest(erasures.since(mark));
    expect(erased(recordedEvent(1, { streamId: 'a', version: 2 }))).toBe(true);
    expect(erased(recordedEvent(2, { streamId: 'a', version: 7 }))).toBe(true);
    expect(erased(recordedEvent(3, { streamId: 'a', version: 8 }))).toBe(false);
  });

  it('has a read made again when erasures heard since it began were forgotten, and only then', () => {
    const erasures = new RecentErasures(2);
    erasures.add({ streamId: 'old', beforeVersion: 1 });
    const mark = erasures.mark();
    erasures.add({ streamId: 'a', beforeVersion: 1 });
    expect(typeof erasures.since(mark)).toBe('function');
    // 'old' goes first, heard before the read began: nothing the read needs is lost.
    erasures.add({ streamId: 'b', beforeVersion: 1 });
    expect(typeof erasures.since(mark)).toBe('function');
    erasures.add({ streamId: 'c', beforeVersion: 1 });
    expect(erasures.since(mark)).toBe('forgotten');
    expect(erasures.since(erasures.mark())).toBeNull();
  });
});
