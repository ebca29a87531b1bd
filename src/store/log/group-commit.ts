interface Pending<Request, Outcome> {
  request: Request;
  size: number;
  bytes: number;
  /** When it was submitted, on `performance.now()`'s clock. */
  since: number;
  /** What it touches (`keysOf`); empty when the committer runs one batch at a time. */
  keys: readonly string[];
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<Request, Outcome> {
  /**
   * Runs one transaction for many requests; answers one outcome per request, in order.
   * `since` is when the batch's oldest request was submitted (`performance.now()`), whose deadline the batch keeps.
   */
  commit: (requests: Request[], since: number) => Promise<Outcome[]>;
  /** How much one request weighs towards `maxBatchSize` (its event count). */
  sizeOf: (request: Request) => number;
  /** A batch closes once it holds this much. */
  maxBatchSize: number;
  /** How many bytes one request carries (its payloads); with `maxBatchBytes`, a second bound. */
  bytesOf?: (request: Request) => number;
  /** A batch closes once it carries this many bytes, however few requests it holds. */
  maxBatchBytes?: number;
  /**
   * Whether a batch that failed with `error` is worth committing again request by request. Not when
   * every request would fail the same way, or when the batch may have been committed. Default: always.
   */
  retryAlone?: (error: unknown) => boolean;
  /**
   * Batches committing at the same time. A second batch is planned and sent
   * while the first one's answer is on its way back (its round trip, the
   * event-loop turns before it is read), instead of after. Needs `keysOf`.
   * Default 1.
   */
  maxConcurrentBatches?: number;
  /**
   * What a request touches (its streams). A request that shares a key with a
   * batch still committing waits for it, and so does every later request with
   * that key, so concurrent batches never plan on the same state.
   */
  keysOf?: (request: Request) => readonly string[];
}

/**
 * Group commit: requests that arrive while a batch is committing wait and go
 * together in the next one, so one transaction (one lock, one fsync) serves
 * many concurrent appends. A batch that fails as a whole is retried request
 * by request, so one poisoned request cannot fail its neighbours.
 */
export class GroupCommitter<Request, Outcome> {
  private queue: Pending<Request, Outcome>[] = [];
  private committing = 0;
  /** Keys of the batches committing now, with how many hold each. */
  private readonly busy = new Map<string, number>();
  private readonly maxConcurrent: number;

  constructor(private readonly options: GroupCommitOptions<Request, Outcome>) {
    this.maxConcurrent = options.keysOf ? Math.max(1, options.maxConcurrentBatches ?? 1) : 1;
  }

  submit(request: Request): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const { sizeOf, bytesOf, keysOf } = this.options;
      const keys = this.maxConcurrent > 1 ? keysOf!(request) : [];
      this.queue.push({ request, size: sizeOf(request), bytes: bytesOf?.(request) ?? 0, since: performance.now(), keys, resolve, reject });
      this.startBatches();
    });
  }

  /** Starts batches while there is room for one and a request that may go. */
  private startBatches(): void {
    while (this.committing < this.maxConcurrent && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.committing++;
      this.hold(batch, 1);
      void this.commitBatch(batch).finally(() => {
        this.committing--;
        this.hold(batch, -1);
        this.startBatches();
      });
    }
  }

  private hold(batch: Pending<Request, Outcome>[], delta: 1 | -1): void {
    for (const pending of batch) {
      for (const key of pending.keys) {
        const count = (this.busy.get(key) ?? 0) + delta;
        if (count === 0) this.busy.delete(key);
        else this.busy.set(key, count);
      }
    }
  }

  /**
   * The queue's first requests that may go now, as many as fit both bounds; the first one always,
   * however large. A request waits when a key of it is busy or held back, and holds its keys back.
   */
  private takeBatch(): Pending<Request, Outcome>[] {
    const { maxBatchSize, maxBatchBytes = Infinity } = this.options;
    if (this.busy.size === 0) return this.takeHead(maxBatchSize, maxBatchBytes);
    const taken: Pending<Request, Outcome>[] = [];
    const left: Pending<Request, Outcome>[] = [];
    const heldBack = new Set<string>();
    let size = 0;
    let bytes = 0;
    let full = false;
    for (const next of this.queue) {
      const blocked = full || next.keys.some((key) => this.busy.has(key) || heldBack.has(key));
      const fits = taken.length === 0 || (size + next.size <= maxBatchSize && bytes + next.bytes <= maxBatchBytes);
      if (blocked || !fits) {
        if (!fits) full = true;
        for (const key of next.keys) heldBack.add(key);
        left.push(next);
        continue;
      }
      taken.push(next);
      size += next.size;
      bytes += next.bytes;
    }
    this.queue = left;
    return taken;
  }

  /** With nothing committing, nothing is blocked: the queue's head. */
  private takeHead(maxBatchSize: number, maxBatchBytes: number): Pending<Request, Outcome>[] {
    let size = 0;
    let bytes = 0;
    let count = 0;
    for (; count < this.queue.length; count++) {
      const next = this.queue[count]!;
      if (count > 0 && (size + next.size > maxBatchSize || bytes + next.bytes > maxBatchBytes)) break;
      size += next.size;
      bytes += next.bytes;
    }
    return this.queue.splice(0, count);
  }

  private async commitBatch(batch: Pending<Request, Outcome>[]): Promise<void> {
    try {
      const outcomes = await this.options.commit(
        batch.map((pending) => pending.request),
        batch[0]!.since,
      );
      batch.forEach((pending, index) => pending.resolve(outcomes[index]!));
    } catch (error) {
      if (batch.length === 1 || this.options.retryAlone?.(error) === false) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      for (const pending of batch) await this.commitBatch([pending]);
    }
  }
}
