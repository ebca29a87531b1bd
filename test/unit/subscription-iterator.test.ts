import { expect, it } from 'vitest';
import { SlowConsumerError, type Room, type Tenant } from '../../src/server/send-room.js';
import { MappedIterator } from '../../src/server/mapped-iterator.js';

async function* failingAfter(values: number[]): AsyncGenerator<number> {
  yield* values;
  throw new Error('connection lost');
}

it('ends a subscription whose source fails with one result made from the error, instead of throwing it', async () => {
  const iterator = new MappedIterator(failingAfter([1, 2]), {
    map: (value) => `event ${value}`,
    failed: (error) => `failed: ${(error as Error).message}`,
  });
  const seen: string[] = [];
  for await (const value of iterator) seen.push(value);
  expect(seen).toEqual(['event 1', 'event 2', 'failed: connection lost']);
  expect(await iterator.next()).toEqual({ value: undefined, done: true });
});

it('lets go of its source as soon as its room stalls it while it sends, and ends with the error once read again', async () => {
  let tenant!: Tenant;
  const room: Room = { join: (joined) => void (tenant = joined), leave: () => undefined, wait: () => undefined };
  let returned = false;
  const source: AsyncIterator<number> = {
    next: async () => ({ value: 1, done: false }),
    return: async () => ((returned = true), { value: undefined, done: true }),
  };
  const iterator = new MappedIterator(source, { map: (value) => `event ${value}`, failed: (error) => `failed: ${(error as Error).name}` }, room);
  expect(await iterator.next()).toEqual({ value: 'event 1', done: false });
  expect(tenant.busy).toBe(true);
  tenant.stall(new SlowConsumerError(1, 1));
  expect(returned).toBe(true);
  expect(await iterator.next()).toEqual({ value: 'failed: SlowConsumerError', done: false });
  expect(await iterator.next()).toEqual({ value: undefined, done: true });
});

it('is not stalled while it waits for its next event with nothing to send', async () => {
  let tenant!: Tenant;
  const room: Room = { join: (joined) => void (tenant = joined), leave: () => undefined, wait: () => undefined };
  const iterator = new MappedIterator(failingAfter([]), { map: (value) => value, failed: () => -1 }, room);
  const pending = iterator.next();
  expect(tenant.busy).toBe(false);
  expect(await pending).toEqual({ value: -1, done: false });
});

it('tells once that it ended, whether its source completed or its client returned', async () => {
  let ends = 0;
  const completing = (async function* () {
    yield 1;
  })();
  const completed = new MappedIterator(completing, { map: (value) => value, failed: () => -1, ended: () => void ends++ });
  const seen: number[] = [];
  for await (const value of completed) seen.push(value);
  await completed.return!();
  expect(seen).toEqual([1]);
  expect(ends).toBe(1);
  const returned = new MappedIterator(failingAfter([1, 2]), { map: (value) => value, failed: () => -1, ended: () => void ends++ });
  expect(await returned.next()).toEqual({ value: 1, done: false });
  await returned.return!();
  await returned.return!();
  expect(ends).toBe(2);
});
