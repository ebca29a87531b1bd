import { describe, expect, it } from 'vitest';
import { RecentErasures } from '../../src/subscriptions/recent-erasures.js';
import { recordedEvent } from '../support/recorded-event.js';

describe('RecentErasures', () => {
  it('tells a read what was erased since it began, and nothing when nothing was', () => {
    const erasures = new RecentErasures();
    erasures.add({ streamId: 'before', beforeVersion: 10 });
    const mark = erasures.mark();
    expect(erasures.since(mark)).toBeNull();
    erasures.add({ streamId: 'a', beforeVersion: 3 });
    const erased = erasures.since(mark);
    if (typeof erased !== 'function') throw new Error(`expected a filter, got ${String(erased)}`);
    expect(erased(recordedEvent(1, { streamId: 'a', version: 2 }))).toBe(true);
    expect(erased(recordedEvent(2, { streamId: 'a', version: 3 }))).toBe(false);
    expect(erased(recordedEvent(3, { streamId: 'b', version: 1 }))).toBe(false);
    // Erased before the read began: the read itself did not see it.
    expect(erased(recordedEvent(4, { streamId: 'before', version: 1 }))).toBe(false);
  });

  it('calls a read spoilt when more was erased meanwhile than it remembers', () => {
    const erasures = new RecentErasures(2);
    const mark = erasures.mark();
    erasures.add({ streamId: 'a', beforeVersion: 1 });
    erasures.add({ streamId: 'b', beforeVersion: 1 });
    expect(typeof erasures.since(mark)).toBe('function');
    erasures.add({ streamId: 'c', beforeVersion: 1 });
    expect(erasures.since(mark)).toBe('spoilt');
  });
});
