/** How long after a wrong guess batches are planned under the store lock instead of from guesses. */
const CONTENDED_MS = 1_000;

/**
 * The last version this gateway knows of recently written streams, so that a
 * batch of appends can be planned without reading them first. It is only a
 * guess: the write verifies every version it assumed under the store lock,
 * and a wrong guess (another gateway wrote) costs one replan. Guesses are
 * not made for a while after one went wrong: another gateway writing the
 * same streams would make most of them wrong.
 */
export class StreamVersionCache {
  private readonly versions = new Map<string, number>();
  private wrongAt = -Infinity;

  /** @param capacity streams remembered; the oldest is forgotten first. Default 100,000. */
  constructor(private readonly capacity = 100_000) {}

  get(streamId: string): number | undefined {
    return this.versions.get(streamId);
  }

  remember(streamId: string, version: number): void {
    this.versions.delete(streamId);
    this.versions.set(streamId, version);
    if (this.versions.size > this.capacity) this.versions.delete(this.versions.keys().next().value!);
  }

  /** Whether a guess went wrong lately. */
  get contended(): boolean {
    return performance.now() - this.wrongAt < CONTENDED_MS;
  }

  guessedWrong(): void {
    this.wrongAt = performance.now();
  }

  forget(streamIds: Iterable<string>): void {
    for (const streamId of streamIds) this.versions.delete(streamId);
  }
}
