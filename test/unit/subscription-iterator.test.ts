import { expect, it } from 'vitest';
import { mapAsyncIterator } from '../../src/server/shared-subscription-results.js';

async function* failingAfter(values: number[]): AsyncGenerator<number> {
  yield* values;
  throw new Error('connection lost');
}

it('ends a subscription whose source fails with one result made from the error, instead of throwing it', async () => {
  const iterator = mapAsyncIterator(
    failingAfter([1, 2]),
    (value) => `event ${value}`,
    (error) => `failed: ${(error as Error).message}`,
  );
  const seen: string[] = [];
  for await (const value of iterator) seen.push(value);
  expect(seen).toEqual(['event 1', 'event 2', 'failed: connection lost']);
  expect(await iterator.next()).toEqual({ value: undefined, done: true });
});
