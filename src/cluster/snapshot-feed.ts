/** Most snapshots held for a slow reader; older ones go first, the newest is never lost. */
const CAPACITY = 32;

/**
 * An async iterator of values: the current one at once, then each one passed
 * to the `changed` callback. `watch` registers the callback and answers how to stop.
 */
export function changeFeed<T>(current: () => T, watch: (changed: (value: T) => void) => () => void): AsyncIterableIterator<T> {
  const queue: T[] = [current()];
  let wake: (() => void) | undefined;
  let done = false;
  const unwatch = watch((value) => {
    queue.push(value);
    if (queue.length > CAPACITY) queue.shift();
    wake?.();
  });
  const finish = async (): Promise<IteratorResult<T>> => {
    done = true;
    unwatch();
    wake?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (done) return { value: undefined, done: true };
      return { value: queue.shift()!, done: false };
    },
    return: finish,
    throw: async (error) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
