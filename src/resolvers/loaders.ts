import DataLoader from 'dataloader';
import type { EventStore } from '../store/event-store.js';
import type { StreamMetadata } from '../store/metadata/types.js';
import type { RecordedSnapshot, SnapshotQuery } from '../store/snapshots/types.js';
import type { RecordedEvent, StoreStats } from '../store/types.js';

/** Per-request batching: one query for every stream version (or event, snapshot, or stats) a request asks of one store. */
export interface Loaders {
  streamVersion(store: EventStore): DataLoader<string, number>;
  /** Whether a stream was hard-deleted. */
  tombstone(store: EventStore): DataLoader<string, boolean>;
  eventById(store: EventStore): DataLoader<string, RecordedEvent | null>;
  streamMetadata(store: EventStore): DataLoader<string, StreamMetadata | null>;
  stats(store: EventStore): Promise<StoreStats>;
  /** Keyed by source, stream and version; a null version (the latest) is a key of its own. */
  snapshot(store: EventStore): DataLoader<SnapshotQuery, RecordedSnapshot | null, string>;
}

function perStore<T>(make: (store: EventStore) => T): (store: EventStore) => T {
  const made = new Map<string, T>();
  return (store) => {
    let value = made.get(store.id);
    if (value === undefined) {
      value = make(store);
      made.set(store.id, value);
    }
    return value;
  };
}

export function createLoaders(): Loaders {
  return {
    streamVersion: perStore((store) => new DataLoader((ids: readonly string[]) => store.log.streamVersions(ids))),
    tombstone: perStore((store) => new DataLoader((ids: readonly string[]) => store.log.tombstones(ids))),
    eventById: perStore((store) => new DataLoader((ids: readonly string[]) => store.log.eventsById(ids))),
    streamMetadata: perStore((store) => new DataLoader((ids: readonly string[]) => store.metadata.read(ids))),
    stats: perStore((store) => store.log.stats()),
    snapshot: perStore(
      (store) =>
        new DataLoader((queries: readonly SnapshotQuery[]) => store.snapshots.read(queries), {
          cacheKeyFn: (query) => JSON.stringify([query.sourceUuid, query.streamUuid, query.version]),
        }),
    ),
  };
}
