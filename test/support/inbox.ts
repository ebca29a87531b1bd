/** Resolves once every promise chain started so far has run, as long as none waits on a timer or I/O. */
export const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads an async iterator without blocking a test: `take` answers what the
 * iterator has ready once pending work has settled, and keeps a read that is
 * still waiting for the next call, so no item is lost between calls.
 */
export class Inbox<T> {
  private pending: Promise<IteratorResult<T>> | undefined;
  private ended = false;

  constructor(private readonly iterator: AsyncIterator<T>) {}

  /** True once the iterator said it is done. */
  get done(): boolean {
    return this.ended;
  }

  /** Rejects with the iterator's error if it failed. */
  async take(): Promise<T[]> {
    const taken: T[] = [];
    while (!this.ended) {
      this.pending ??= this.iterator.next();
      const result = await Promise.race([this.pending, settled().then(() => undefined)]);
      if (!result) break;
      this.pending = undefined;
      if (result.done) this.ended = true;
      else taken.push(result.value);
    }
    return taken;
  }
}
