import type { Cluster } from '../cluster/cluster.js';
import { appendBatch } from './append-batch.js';
import { deleteSnapshot } from './delete-snapshot.js';
import { eventsById } from './events-by-id.js';
import { firstVersionFrom } from './first-version-from.js';
import { GroupCommitter } from './group-commit.js';
import { StreamVersionCache } from './stream-version-cache.js';
import { listSnapshots, type ListSnapshotsOptions } from './list-snapshots.js';
import { listStreams, type ListStreamsOptions } from './list-streams.js';
import { migrate } from './migrate.js';
import { readAll, type ReadAllOptions } from './read-all.js';
import { readSnapshots } from './read-snapshots.js';
import { readStream, type ReadStreamOptions } from './read-stream.js';
import { recordSnapshot } from './record-snapshot.js';
import { storeStats } from './store-stats.js';
import { streamVersions } from './stream-versions.js';
import { storeTables, type StoreTables } from './tables.js';
import type {
  AppendOutcome,
  AppendRequest,
  NewSnapshot,
  Page,
  RecordedEvent,
  RecordedSnapshot,
  SnapshotKey,
  SnapshotQuery,
  StoreStats,
  StreamSummary,
} from './types.js';

/** Events per group-commit transaction; large enough to amortise, small enough to keep latency flat. */
const MAX_BATCH_EVENTS = 5_000;

/** One store: its operations, bound to its tables and routed through the cluster. */
export class EventStore {
  readonly tables: StoreTables;
  private readonly committer: GroupCommitter<AppendRequest, AppendOutcome>;
  private readonly versionCache = new StreamVersionCache();

  constructor(
    readonly id: string,
    private readonly cluster: Cluster,
  ) {
    this.tables = storeTables(id);
    this.committer = new GroupCommitter({
      commit: (requests) => this.commit(requests),
      sizeOf: (request) => request.events.length,
      maxBatchSize: MAX_BATCH_EVENTS,
    });
  }

  migrate(): Promise<number[]> {
    return migrate(this.cluster.leader(), this.tables);
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    return this.committer.submit(request);
  }

  readStream(options: ReadStreamOptions): Promise<Page<RecordedEvent>> {
    return readStream(this.cluster.reader(), this.tables, options);
  }

  /** `fromLeader` for readers that must see every commit at once (the tailer), whatever replicas lag. */
  readAll(options: ReadAllOptions, { fromLeader = false } = {}): Promise<Page<RecordedEvent>> {
    return readAll(fromLeader ? this.cluster.leader() : this.cluster.reader(), this.tables, options);
  }

  listStreams(options: ListStreamsOptions): Promise<Page<StreamSummary>> {
    return listStreams(this.cluster.reader(), this.tables, options);
  }

  streamVersions(streamIds: readonly string[], { fromLeader = false } = {}): Promise<number[]> {
    return streamVersions(fromLeader ? this.cluster.leader() : this.cluster.reader(), this.tables, streamIds);
  }

  firstVersionFrom(streamId: string, position: number): Promise<number | null> {
    return firstVersionFrom(this.cluster.leader(), this.tables, streamId, position);
  }

  eventsById(ids: readonly string[]): Promise<(RecordedEvent | null)[]> {
    return eventsById(this.cluster.reader(), this.tables, ids);
  }

  stats({ fromLeader = false } = {}): Promise<StoreStats> {
    return storeStats(fromLeader ? this.cluster.leader() : this.cluster.reader(), this.tables);
  }

  private commit(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    return appendBatch(this.cluster.leader(), this.tables, requests, this.versionCache);
  }

  recordSnapshot(snapshot: NewSnapshot): Promise<RecordedSnapshot> {
    return recordSnapshot(this.cluster.leader(), this.tables, snapshot);
  }

  readSnapshots(queries: readonly SnapshotQuery[]): Promise<(RecordedSnapshot | null)[]> {
    return readSnapshots(this.cluster.reader(), this.tables, queries);
  }

  listSnapshots(options: ListSnapshotsOptions): Promise<Page<RecordedSnapshot>> {
    return listSnapshots(this.cluster.reader(), this.tables, options);
  }

  deleteSnapshot(key: SnapshotKey): Promise<boolean> {
    return deleteSnapshot(this.cluster.leader(), this.tables, key);
  }
}
