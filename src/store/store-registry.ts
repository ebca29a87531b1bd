import type { Cluster } from '../cluster/cluster.js';
import type { AppendObservers } from './append-observer.js';
import { EventStore } from './event-store.js';

/** The configured stores by id; the first one is the default. */
export class StoreRegistry {
  private readonly stores: Map<string, EventStore>;
  private leaderView: StoreRegistry | undefined;

  /** `observers` gives each store the observer of its committed batches (for /metrics). Default: none. */
  constructor(
    ids: readonly string[],
    cluster: Cluster,
    observers?: AppendObservers,
  ) {
    this.stores = new Map(ids.map((id) => [id, EventStore.open(id, cluster, observers?.(id))]));
  }

  /** The same stores, each serving its reads from the leader (see EventStore.readingFromLeader). */
  readingFromLeader(): StoreRegistry {
    this.leaderView ??= Object.create(this, {
      stores: { value: new Map([...this.stores].map(([id, store]) => [id, store.readingFromLeader()])) },
    }) as StoreRegistry;
    return this.leaderView;
  }

  get defaultId(): string {
    return this.stores.keys().next().value!;
  }

  /** The store with this id (the default when absent), or undefined when there is none. */
  find(id: string | null | undefined): EventStore | undefined {
    return this.stores.get(id ?? this.defaultId);
  }

  all(): EventStore[] {
    return [...this.stores.values()];
  }

  async migrateAll(): Promise<void> {
    for (const store of this.stores.values()) await store.migrate();
  }
}
