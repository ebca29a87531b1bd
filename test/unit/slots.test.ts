import { afterEach, expect, it, vi } from 'vitest';
import { Slots } from '../../src/store/log/slots.js';

afterEach(() => vi.useRealTimers());

it('lends its slots at once, then makes callers wait, and gives a returned slot to the longest waiting', async () => {
  const slots = new Slots(2);
  expect(await slots.take(1_000)).toBe(true);
  expect(await slots.take(1_000)).toBe(true);
  const order: string[] = [];
  const first = slots.take(1_000).then((taken) => order.push(`first ${taken}`));
  const second = slots.take(1_000).then((taken) => order.push(`second ${taken}`));
  await Promise.resolve();
  expect(order).toEqual([]);
  slots.give();
  await first;
  expect(order).toEqual(['first true']);
  slots.give();
  await second;
  expect(order).toEqual(['first true', 'second true']);
});

it('answers false to a caller whose time runs out, which then holds no slot', async () => {
  vi.useFakeTimers();
  const slots = new Slots(1);
  expect(await slots.take(10)).toBe(true);
  const late = slots.take(10);
  vi.advanceTimersByTime(11);
  expect(await late).toBe(false);
  // The slot given back is free again, not kept for the caller that gave up.
  slots.give();
  expect(await slots.take(10)).toBe(true);
  const waiting = slots.take(10);
  vi.advanceTimersByTime(11);
  expect(await waiting).toBe(false);
});
