import type { Room, Tenant } from './send-room.js';

/** What a MappedIterator makes of its source's values and failure, and whom it tells once it ended. */
export interface Mapping<T, U> {
  map(value: T): U | Promise<U>;
  failed(error: unknown): U;
  ended?(): void;
}

/**
 * Maps an async iterator and, unlike an async generator, passes return()
 * straight through to the source. A source that fails (its database reads
 * failing, say) ends the subscription with one result carrying
 * `mapping.failed(error)`, as yoga answers over SSE, rather than handing
 * graphql-ws the raw error. With a `room`, a value is taken from the source
 * only when the socket has room for it; a subscription the room stalls lets
 * go of its source at once, and ends with `failed(error)` once its client
 * reads again. `mapping.ended` is called once, however it ends.
 *
 * One object for each subscription, where a closure for each method and
 * each piece of state cost an idle subscription more than half a kilobyte:
 * a gateway holds tens of thousands of them.
 */
export class MappedIterator<T, U> implements AsyncIterableIterator<U>, Tenant {
  /** True while a message of its own is on its way out, or it waits for room to send one. */
  busy = false;
  private ended = false;
  private stalled: unknown;

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly mapping: Mapping<T, U>,
    private readonly room?: Room,
  ) {
    room?.join(this);
  }

  stall(error: unknown): void {
    if (this.ended || this.stalled !== undefined) return;
    this.stalled = error;
    void this.source.return?.();
  }

  /**
   * Not an async function: an idle subscription waits here for its next
   * event, and a suspended async function's frame weighs some 400 bytes,
   * twice the callbacks of a plain promise.
   */
  next(): Promise<IteratorResult<U>> {
    this.busy = false;
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    const waiting = this.room?.wait();
    if (!waiting) return this.take();
    this.busy = true;
    return waiting.then(
      () => {
        this.busy = false;
        return this.ended ? { value: undefined, done: true } : this.take();
      },
      (error: unknown) => this.sourceFailed(error),
    );
  }

  private take(): Promise<IteratorResult<U>> {
    if (this.stalled !== undefined) {
      this.end();
      return Promise.resolve({ value: this.mapping.failed(this.stalled), done: false });
    }
    let step: Promise<IteratorResult<T>>;
    try {
      step = this.source.next();
    } catch (error) {
      return this.sourceFailed(error);
    }
    return step.then(
      (taken) => this.mapped(taken),
      (error: unknown) => this.sourceFailed(error),
    );
  }

  private mapped(step: IteratorResult<T>): IteratorResult<U> | Promise<IteratorResult<U>> {
    if (step.done) {
      this.end();
      return { value: undefined, done: true };
    }
    const value = this.mapping.map(step.value);
    if (!(value instanceof Promise)) {
      this.busy = true;
      return { value, done: false };
    }
    return value.then((settled) => {
      this.busy = true;
      return { value: settled, done: false };
    });
  }

  private async sourceFailed(error: unknown): Promise<IteratorResult<U>> {
    this.end();
    await this.source.return?.();
    return { value: this.mapping.failed(error), done: false };
  }

  async return(): Promise<IteratorResult<U>> {
    this.end();
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<U>> {
    this.end();
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.room?.leave(this);
    this.mapping.ended?.();
  }
}
