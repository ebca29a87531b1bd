/**
 * The bytes of event JSON that all live subscribers of this gateway hold
 * between them, against one bound. Each subscriber keeps to a bound of its
 * own as well, but a client may run thousands of subscriptions: replaying
 * history from as many places, 500 of them took a gateway past 4 GB and out
 * of memory. A subscriber reads its next history page only into what the
 * pool has left, and one event at a time once the pool is spent.
 */
export class BufferPool {
  private held = 0;

  constructor(readonly bytes: number) {}

  /** Something held more (or, negative, less). */
  add(delta: number): void {
    this.held += delta;
  }

  /** What is left of the bound; 0 once the subscribers hold it all. */
  get free(): number {
    return Math.max(0, this.bytes - this.held);
  }
}
