/**
 * The last version this gateway knows of recently written streams, so that a
 * batch of appends can be planned without reading them first. It is only a
 * guess: the write verifies every version it assumed under the store lock,
 * and a wrong guess (another gateway wrote) costs one replan.
 */
export class StreamVersionCache {
  private readonly versions = new Map<string, number>();

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

  forget(streamIds: Iterable<string>): void {
    for (const streamId of streamIds) this.versions.delete(streamId);
  }
}
