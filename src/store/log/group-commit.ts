interface Pending<Request, Outcome> {
  request: Request;
  size: number;
  bytes: number;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<Request, Outcome> {
  /** Runs one transaction for many requests; answers one outcome per request, in order. */
  commit: (requests: Request[]) => Promise<Outcome[]>;
  /** How much one request weighs towards `maxBatchSize` (its event count). */
  sizeOf: (request: Request) => number;
  /** A batch closes once it holds this much. */
  maxBatchSize: number;
  /** How many bytes one request carries (its payloads); with `maxBatchBytes`, a second bound. */
  bytesOf?: (request: Request) => number;
  /** A batch closes once it carries this many bytes, however few requests it holds. */
  maxBatchBytes?: number;
}

/**
 * Group commit: requests that arrive while a batch is committing wait and go
 * together in the next one, so one transaction (one lock, one fsync) serves
 * many concurrent appends. A batch that fails as a whole is retried request
 * by request, so one poisoned request cannot fail its neighbours.
 */
export class GroupCommitter<Request, Outcome> {
  private queue: Pending<Request, Outcome>[] = [];
  private draining = false;

  constructor(private readonly options: GroupCommitOptions<Request, Outcome>) {}

  submit(request: Request): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, size: this.options.sizeOf(request), bytes: this.options.bytesOf?.(request) ?? 0, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.commitBatch(this.takeBatch());
    } finally {
      this.draining = false;
    }
  }

  /** The queue's first requests, as many as fit both bounds; the first one always, however large. */
  private takeBatch(): Pending<Request, Outcome>[] {
    const { maxBatchSize, maxBatchBytes = Infinity } = this.options;
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
      const outcomes = await this.options.commit(batch.map((pending) => pending.request));
      batch.forEach((pending, index) => pending.resolve(outcomes[index]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const pending of batch) await this.commitBatch([pending]);
    }
  }
}
