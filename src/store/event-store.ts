import type { Cluster } from '../cluster/cluster.js';
import type { BatchObserver } from './append-observer.js';
import { ErasureNotices } from './erasures.js';
import { EventLog } from './log/event-log.js';
import { MetadataStore } from './metadata/metadata-store.js';
import { migrate } from './migrate.js';
import { PersistentStore } from './persistent/persistent-store.js';
import { Retention } from './retention/retention.js';
import { SnapshotStore } from './snapshots/snapshot-store.js';
import { StoreRoute } from './store-route.js';
import type { StreamScope } from './stream-scope.js';
import { storeTables, type StoreTables } from './tables.js';

/** One store: its event log, snapshots, stream metadata and persistent subscriptions, each routed through the cluster. */
export class EventStore {
  private leaderReads: EventStore | undefined;

  private constructor(
    readonly id: string,
    private readonly route: StoreRoute,
    readonly log: EventLog,
    readonly snapshots: SnapshotStore,
    readonly persistent: PersistentStore,
    readonly metadata: MetadataStore,
    /** The erasure of what stream metadata hides; one per store, shared by every view of it. */
    readonly retention: Retention,
    /** Told of each deletion, and of each metadata change that hides events, made through any view of this store. */
    readonly erasures: ErasureNotices,
  ) {}

  /** `committed` is told of every batch its log commits (for /metrics). Default: nobody. */
  static open(id: string, cluster: Cluster, committed?: BatchObserver): EventStore {
    const route = new StoreRoute(cluster, storeTables(id));
    const erasures = new ErasureNotices();
    return new EventStore(
      id,
      route,
      EventLog.open(route, erasures, committed),
      new SnapshotStore(route),
      new PersistentStore(route),
      new MetadataStore(route, erasures),
      new Retention(route),
      erasures,
    );
  }

  get tables(): StoreTables {
    return this.route.tables;
  }

  /**
   * This store with every read served by the leader (read-your-writes). Its log
   * shares the group committer, so its appends batch with everyone's.
   */
  readingFromLeader(): EventStore {
    const leader = this.route.toLeader();
    if (leader === this.route) return this;
    this.leaderReads ??= new EventStore(
      this.id,
      leader,
      this.log.readingFromLeader(),
      new SnapshotStore(leader, this.snapshots.scope),
      new PersistentStore(leader),
      new MetadataStore(leader, this.erasures, this.metadata.scope),
      this.retention,
      this.erasures,
    );
    return this.leaderReads;
  }

  /** The streams this view sees and may write: every stream, unless it came from `scopedTo`. */
  get scope(): StreamScope {
    return this.log.scope;
  }

  /**
   * This store as a caller limited to `scope` sees it: its log and snapshots
   * find nothing outside the scope and refuse to write there.
   */
  scopedTo(scope: StreamScope): EventStore {
    if (scope.isEveryStream) return this;
    return new EventStore(this.id, this.route, this.log.scopedTo(scope), this.snapshots.scopedTo(scope), this.persistent, this.metadata.scopedTo(scope), this.retention, this.erasures);
  }

  migrate(): Promise<number[]> {
    return this.route.write(migrate, { bounded: false });
  }
}
