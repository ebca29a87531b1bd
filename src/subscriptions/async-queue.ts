interface Waiter<T> {
  resolve: (result: IteratorResult<T>) => void;
  reject: (failure: unknown) => void;
}

/**
 * Values handed from a producer to an async-iterator reader, in order. A
 * value pushed while the reader waits goes straight to it; otherwise it is
 * buffered, and taking it costs no promise beyond the one `next` must answer.
 * The buffer has no bound of its own: the producer decides from `size`
 * and `weight`.
 */
export class AsyncQueue<T> {
  private readonly buffer: T[] = [];
  private readonly waiting: Waiter<T>[] = [];
  private ended = false;
  private failure: unknown;
  private buffered = 0;

  /**
   * `weigh`: what a value costs to hold (its bytes, say); default nothing.
   * `pool`: told of every change of the weight buffered, with other queues'.
   */
  constructor(
    private readonly weigh?: (value: T) => number,
    private readonly pool?: { add(delta: number): void },
  ) {}

  /** Values buffered and not yet taken. */
  get size(): number {
    return this.buffer.length;
  }

  /** The weight of the values buffered and not yet taken. */
  get weight(): number {
    return this.buffered;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Adds a value for the reader; ignored once the queue has ended. */
  push(value: T): void {
    if (this.ended) return;
    if (this.waiting.length > 0) {
      this.waiting.shift()!.resolve({ value, done: false });
      return;
    }
    this.buffer.push(value);
    if (this.weigh) this.weighed(this.weigh(value));
  }

  /** Drops the buffered values `gone` picks out: the reader never gets them. */
  removeWhere(gone: (value: T) => boolean): void {
    let kept = 0;
    for (const value of this.buffer) {
      if (!gone(value)) this.buffer[kept++] = value;
      else if (this.weigh) this.weighed(-this.weigh(value));
    }
    this.buffer.length = kept;
  }

  /**
   * The oldest value, or the next one pushed. Once ended: done, or a
   * rejection with the failure it ended with, on this and every later call.
   */
  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) {
      const value = this.buffer.shift()!;
      if (this.weigh) this.weighed(-this.weigh(value));
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return this.finish();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /**
   * Ends the queue and drops what is buffered: the reader is told at once,
   * not after the values it had yet to take. With `failure`, the reader gets
   * that error; without, it completes.
   */
  end(failure?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.buffer.length = 0;
    this.weighed(-this.buffered);
    for (const waiter of this.waiting.splice(0)) {
      if (failure === undefined) waiter.resolve({ value: undefined, done: true });
      else waiter.reject(failure);
    }
  }

  private weighed(delta: number): void {
    this.buffered += delta;
    this.pool?.add(delta);
  }

  private finish(): Promise<IteratorResult<T>> {
    return this.failure === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(this.failure);
  }
}
