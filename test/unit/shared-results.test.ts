import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from 'graphql';
import { resultWeight, SharedResults } from '../../src/server/shared-subscription-results.js';
import { recordedEvent } from '../support/recorded-event.js';

const KiB = 1024;

/** An event whose payloads are about `bytes` of JSON. */
const eventOf = (position: number, bytes: number) => recordedEvent(position, { data: { padding: 'x'.repeat(bytes) } });

describe('SharedResults', () => {
  it('executes a document once per event, for every subscriber of it', () => {
    const shared = new SharedResults();
    let runs = 0;
    const event = eventOf(1, 10);
    const first = shared.get('doc', event, () => ({ data: { n: ++runs } }));
    const second = shared.get('doc', event, () => ({ data: { n: ++runs } }));
    expect(second).toBe(first);
    expect(runs).toBe(1);
  });

  it('keeps nothing for a root handed to one subscription only, and tells which results are shared', () => {
    const shared = new SharedResults();
    shared.join('doc');
    shared.join('doc');
    let runs = 0;
    const delivery = { id: 'event-1/0', forOneOnly: true as const };
    const alone = shared.get('doc', delivery, () => ({ data: { n: ++runs } })) as ExecutionResult;
    shared.get('doc', delivery, () => ({ data: { n: ++runs } }));
    expect(runs).toBe(2);
    expect(shared.weight).toBe(0);
    expect(shared.isShared(alone)).toBe(false);
    const event = eventOf(1, 10);
    expect(shared.isShared(shared.get('doc', event, () => ({ data: { n: ++runs } })) as ExecutionResult)).toBe(true);
  });

  it('keeps nothing for a document one subscription runs, and shares once a second one joins', () => {
    const shared = new SharedResults();
    shared.join('doc');
    let runs = 0;
    const event = eventOf(1, 10);
    shared.get('doc', event, () => ({ data: { n: ++runs } }));
    shared.get('doc', event, () => ({ data: { n: ++runs } }));
    expect(runs).toBe(2);
    expect(shared.weight).toBe(0);
    shared.join('doc');
    const first = shared.get('doc', event, () => ({ data: { n: ++runs } }));
    expect(shared.get('doc', event, () => ({ data: { n: ++runs } }))).toBe(first);
    expect(runs).toBe(3);
    shared.leave('doc');
    const later = eventOf(2, 10);
    shared.get('doc', later, () => ({ data: { n: ++runs } }));
    shared.get('doc', later, () => ({ data: { n: ++runs } }));
    expect(runs).toBe(5);
    shared.leave('doc');
  });

  it('keeps results within its bound in bytes, dropping the oldest events first', () => {
    const shared = new SharedResults(1_000 * KiB);
    const events = Array.from({ length: 20 }, (_, index) => eventOf(index + 1, 100 * KiB));
    for (const event of events) shared.get('doc', event, () => ({ data: { id: event.id } }));
    expect(shared.weight).toBeLessThanOrEqual(1_000 * KiB);
    expect(shared.weight).toBeGreaterThan(1_000 * KiB - resultWeight(events[0]!));
    let runs = 0;
    shared.get('doc', events[19]!, () => ({ data: { n: ++runs } }));
    expect(runs).toBe(0);
    shared.get('doc', events[0]!, () => ({ data: { n: ++runs } }));
    expect(runs).toBe(1);
  });

  it('keeps the newest events by count across thousands of drops, and drops the oldest ones', () => {
    const shared = new SharedResults(64 * 2 ** 20, 100);
    const events = Array.from({ length: 5_000 }, (_, index) => eventOf(index + 1, 10));
    for (const event of events) shared.get('doc', event, () => ({ data: { id: event.id } }));
    let runs = 0;
    for (const event of events.slice(-100)) shared.get('doc', event, () => ({ data: { n: ++runs } }));
    expect(runs).toBe(0);
    shared.get('doc', events[4_899]!, () => ({ data: { n: ++runs } }));
    expect(runs).toBe(1);
  });

  it('keeps no result larger than its whole bound, and shares nothing with a bound of 0', () => {
    for (const shared of [new SharedResults(10 * KiB), new SharedResults(0)]) {
      const event = eventOf(1, 100 * KiB);
      let runs = 0;
      shared.get('doc', event, () => ({ data: { n: ++runs } }));
      shared.get('doc', event, () => ({ data: { n: ++runs } }));
      expect(runs).toBe(2);
      expect(shared.weight).toBe(0);
    }
  });

  it('weighs a persistent delivery by its event, and other roots as small', () => {
    const event = eventOf(1, 100 * KiB);
    expect(resultWeight({ id: 'd', event, retryCount: 0 })).toBe(resultWeight(event));
    expect(resultWeight(event)).toBeGreaterThan(200 * KiB);
    expect(resultWeight({ id: 'snapshot-1', status: 'HEALTHY' })).toBeLessThan(KiB);
  });
});
