import { expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../src/subscriptions/concurrency-limit.js';

it('runs at most its limit of tasks at once, starts the others in order, and survives failing tasks', async () => {
  const limit = new ConcurrencyLimit(3);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, index) =>
      limit.run(async () => {
        started.push(index);
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
        if (index % 5 === 0) throw new Error(`task ${index} failed`);
        return index;
      }),
    ),
  );
  expect(most).toBe(3);
  expect(started).toEqual(Array.from({ length: 20 }, (_, index) => index));
  expect(results.filter((result) => result.status === 'rejected')).toHaveLength(4);
  expect(results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))).toHaveLength(16);
});
