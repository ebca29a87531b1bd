import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../../src/subscriptions/async-queue.js';

/** Whether the promise has settled by the time queued callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('AsyncQueue', () => {
  it('hands buffered values over in the order they were pushed', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(queue.size).toBe(3);
    expect(await queue.next()).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: 2, done: false });
    expect(queue.size).toBe(1);
    expect(await queue.next()).toEqual({ value: 3, done: false });
    expect(queue.size).toBe(0);
  });

  it('keeps a reader waiting while empty, and wakes it with the next push', async () => {
    const queue = new AsyncQueue<string>();
    const next = queue.next();
    expect(await settled(next)).toBe(false);
    queue.push('a');
    queue.push('b');
    expect(await next).toEqual({ value: 'a', done: false });
    expect(queue.size).toBe(1);
    expect(await queue.next()).toEqual({ value: 'b', done: false });
  });

  it('answers readers that wait together in the order they asked', async () => {
    const queue = new AsyncQueue<string>();
    const first = queue.next();
    const second = queue.next();
    queue.push('a');
    queue.push('b');
    expect(await Promise.all([first, second])).toEqual([
      { value: 'a', done: false },
      { value: 'b', done: false },
    ]);
  });

  it('completes a waiting reader when it ends, and every later read too', async () => {
    const queue = new AsyncQueue<number>();
    const waiting = queue.next();
    queue.end();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(queue.isEnded).toBe(true);
  });

  it('drops what is buffered when it ends, and ignores later pushes', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.end();
    queue.push(2);
    expect(queue.size).toBe(0);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('rejects a waiting reader, and every later read, with the failure it ended with', async () => {
    const queue = new AsyncQueue<number>();
    const failure = new Error('store gone');
    const waiting = queue.next();
    queue.end(failure);
    await expect(waiting).rejects.toBe(failure);
    await expect(queue.next()).rejects.toBe(failure);
  });

  it('keeps the first ending', async () => {
    const queue = new AsyncQueue<number>();
    queue.end();
    queue.end(new Error('too late'));
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });
});
