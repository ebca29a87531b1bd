import type { StoreRoute } from '../store-route.js';
import type { Page } from '../types.js';
import { deleteSnapshot } from './delete-snapshot.js';
import { listSnapshots, type ListSnapshotsOptions } from './list-snapshots.js';
import { readSnapshots } from './read-snapshots.js';
import { recordSnapshot } from './record-snapshot.js';
import type { NewSnapshot, RecordedSnapshot, SnapshotKey, SnapshotQuery } from './types.js';

/** A store's snapshots. */
export class SnapshotStore {
  constructor(private readonly route: StoreRoute) {}

  record(snapshot: NewSnapshot): Promise<RecordedSnapshot> {
    return this.route.write((db, tables) => recordSnapshot(db, tables, snapshot));
  }

  /** One answer per query, in the order asked; null where there is none. */
  read(queries: readonly SnapshotQuery[]): Promise<(RecordedSnapshot | null)[]> {
    return this.route.read((db, tables) => readSnapshots(db, tables, queries));
  }

  list(options: ListSnapshotsOptions): Promise<Page<RecordedSnapshot>> {
    return this.route.read((db, tables) => listSnapshots(db, tables, options));
  }

  /** Whether there was such a snapshot. */
  delete(key: SnapshotKey): Promise<boolean> {
    return this.route.write((db, tables) => deleteSnapshot(db, tables, key));
  }
}
