import { StreamOutOfScopeError } from '../errors.js';
import { readVisible } from '../read-visible.js';
import type { StoreRoute } from '../store-route.js';
import { storeSpan } from '../store-spans.js';
import { StreamScope } from '../stream-scope.js';
import type { Page } from '../types.js';
import { deleteSnapshot } from './delete-snapshot.js';
import { listSnapshots, type ListSnapshotsOptions } from './list-snapshots.js';
import { readSnapshots } from './read-snapshots.js';
import { recordSnapshot } from './record-snapshot.js';
import type { NewSnapshot, RecordedSnapshot, SnapshotKey, SnapshotQuery } from './types.js';

/**
 * A store's snapshots. Seen through a stream scope, the snapshots of streams
 * (by streamUuid) outside it are not found, and cannot be recorded or deleted.
 */
export class SnapshotStore {
  constructor(
    private readonly route: StoreRoute,
    readonly scope: StreamScope = StreamScope.EVERY_STREAM,
  ) {}

  scopedTo(scope: StreamScope): SnapshotStore {
    return scope.isEveryStream ? this : new SnapshotStore(this.route, scope);
  }

  /** Null when the stream of its stream uuid was hard-deleted: it takes no snapshot. */
  record(snapshot: NewSnapshot): Promise<RecordedSnapshot | null> {
    if (!this.scope.includes(snapshot.streamUuid)) return Promise.reject(new StreamOutOfScopeError(snapshot.streamUuid));
    return storeSpan('snapshot record', this.route.tables, () => this.route.write((db, tables) => recordSnapshot(db, tables, snapshot)));
  }

  /** One answer per query, in the order asked; null where there is none, or where the scope hides it. */
  read(queries: readonly SnapshotQuery[]): Promise<(RecordedSnapshot | null)[]> {
    return readVisible(
      queries,
      (query) => this.scope.includes(query.streamUuid),
      (visible) => storeSpan('snapshot read', this.route.tables, () => this.route.read((db, tables) => readSnapshots(db, tables, visible))),
    );
  }

  list(options: ListSnapshotsOptions): Promise<Page<RecordedSnapshot>> {
    const patterns = this.scope.likePatterns();
    const scoped = patterns ? { ...options, streamPatterns: patterns } : options;
    return this.route.read((db, tables) => listSnapshots(db, tables, scoped));
  }

  /** Whether there was such a snapshot. */
  delete(key: SnapshotKey): Promise<boolean> {
    if (!this.scope.includes(key.streamUuid)) return Promise.reject(new StreamOutOfScopeError(key.streamUuid));
    return this.route.write((db, tables) => deleteSnapshot(db, tables, key));
  }
}
