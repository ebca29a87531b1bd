interface Pending<Request, Outcome> {
  request: Request;
  size: number;
  bytes: number;
  /** When its time started, on `performance.now()`'s clock: when it was submitted, or earlier. */
  since: number;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<Request, Outcome> {
  /**
   * Runs one transaction for many requests; answers one outcome per request, in order.
   * `since` is when the batch's earliest request started (`performance.now()`), whose deadline the batch keeps.
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

  /** `since`: when the request's time started, if before now (`performance.now()`); its batch keeps that deadline. */
  submit(request: Request, since = performance.now()): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const { sizeOf, bytesOf } = this.options;
      this.queue.push({ request, size: sizeOf(request), bytes: bytesOf?.(request) ?? 0, since, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /**
   * One batch at a time. The next one is started before the requests of the
   * one just committed are told: telling them runs their answers (serialised,
   * written to their sockets) on the event loop, and the next batch should
   * not wait behind all of that. Its statement leaves once the pool lends a
   * connection, which node-postgres's pool does on the next tick, after the
   * promise callbacks of the answers already queued. Telling them a turn
   * later instead sent the next batch sooner but made batches smaller, and
   * appends were no faster.
   */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      let committing: Promise<() => void> | undefined = this.commitBatch(this.takeBatch());
      while (committing) {
        const tell = await committing;
        committing = this.queue.length > 0 ? this.commitBatch(this.takeBatch()) : undefined;
        tell();
      }
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

  /** Commits a batch; answers what tells its requests the outcome. */
  private async commitBatch(batch: Pending<Request, Outcome>[]): Promise<() => void> {
    try {
      const outcomes = await this.options.commit(
        batch.map((pending) => pending.request),
        earliestSince(batch),
      );
      return () => batch.forEach((pending, index) => pending.resolve(outcomes[index]!));
    } catch (error) {
      if (batch.length === 1 || this.options.retryAlone?.(error) === false) {
        return () => batch.forEach((pending) => pending.reject(error));
      }
      for (const pending of batch) (await this.commitBatch([pending]))();
      return () => undefined;
    }
  }
}

/** When the batch's earliest request started: usually its first, but a request may bring an earlier start of its own. */
function earliestSince(batch: readonly { since: number }[]): number {
  let since = batch[0]!.since;
  for (const pending of batch) if (pending.since < since) since = pending.since;
  return since;
}
