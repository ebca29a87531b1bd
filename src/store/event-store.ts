import type pg from 'pg';
import type { Cluster, ReadConsistency } from '../cluster/cluster.js';
import { ackEvents } from './ack-events.js';
import { appendBatch, type AppendCounters } from './append-batch.js';
import { claimDue, type ClaimDueRequest, type DueClaim } from './claim-due.js';
import { claimFresh, type ClaimFreshRequest } from './claim-fresh.js';
import { deleteSnapshot } from './delete-snapshot.js';
import { eventsById } from './events-by-id.js';
import { firstVersionFrom } from './first-version-from.js';
import { gatewayLeases, type HeldLease } from './gateway-leases.js';
import { GroupCommitter } from './group-commit.js';
import { StreamVersionCache } from './stream-version-cache.js';
import { heartbeatConsumers } from './heartbeat-consumers.js';
import { listSnapshots, type ListSnapshotsOptions } from './list-snapshots.js';
import { listStreams, type ListStreamsOptions } from './list-streams.js';
import { listSubscriptions, type ListSubscriptionsOptions } from './list-subscriptions.js';
import { migrate } from './migrate.js';
import { nackEvent, type NackRequest } from './nack-event.js';
import type {
  AckRequest,
  SaveOutcome,
  SettingsChange,
  SettleOutcome,
  StoredSubscription,
  SubscriptionDefinition,
  SubscriptionStatus,
} from './persistent-types.js';
import { readAll, type ReadAllOptions } from './read-all.js';
import { readParked, type ReadParkedOptions } from './read-parked.js';
import { readSnapshots } from './read-snapshots.js';
import { readStream, type ReadStreamOptions } from './read-stream.js';
import { readStreamPages, type StreamPageRequest } from './read-stream-pages.js';
import { recordSnapshot } from './record-snapshot.js';
import { registerConsumer } from './register-consumer.js';
import { releaseConsumer } from './release-consumer.js';
import { releaseGateway } from './release-gateway.js';
import { removeSubscription } from './remove-subscription.js';
import { replayParked } from './replay-parked.js';
import { saveSubscription } from './save-subscription.js';
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
/**
 * Payload per group-commit transaction. A batch travels as one statement whose
 * payloads are single strings; unbounded, large events would make them too
 * long for the gateway to build (and the transaction heavy to hold).
 */
const MAX_BATCH_PAYLOAD_BYTES = 64 * 2 ** 20;

/** Characters of JSON an append carries: bytes for ASCII, a bound close enough otherwise. */
function payloadBytes(request: AppendRequest): number {
  let bytes = 0;
  for (const event of request.events) bytes += event.dataJson.length + event.metadataJson.length;
  return bytes;
}


/** One store: its operations, bound to its tables and routed through the cluster. */
export class EventStore {
  readonly tables: StoreTables;
  private readonly committer: GroupCommitter<AppendRequest, AppendOutcome>;
  private readonly versionCache = new StreamVersionCache();
  /** Shared with every view of this store (readingFromLeader). */
  readonly appended: AppendCounters = { events: 0, batches: 0 };
  private readonly consistency: ReadConsistency = 'any';
  private leaderReads: EventStore | undefined;

  constructor(
    readonly id: string,
    private readonly cluster: Cluster,
  ) {
    this.tables = storeTables(id);
    this.committer = new GroupCommitter({
      commit: (requests) => this.commit(requests),
      sizeOf: (request) => request.events.length,
      maxBatchSize: MAX_BATCH_EVENTS,
      bytesOf: payloadBytes,
      maxBatchBytes: MAX_BATCH_PAYLOAD_BYTES,
    });
  }

  /**
   * This store with every read served by the leader (read-your-writes). A view, not
   * a copy: it shares the group committer, so its appends batch with everyone's.
   */
  readingFromLeader(): EventStore {
    if (this.consistency === 'leader') return this;
    this.leaderReads ??= Object.create(this, { consistency: { value: 'leader' } }) as EventStore;
    return this.leaderReads;
  }

  migrate(): Promise<number[]> {
    return this.cluster.write((db) => migrate(db, this.tables));
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    return this.committer.submit(request);
  }

  /** `fromLeader` for readers that must see every commit at once (subscriptions), whatever replicas lag. */
  readStream(options: ReadStreamOptions, { fromLeader = false } = {}): Promise<Page<RecordedEvent>> {
    return this.onReader((db) => readStream(db, this.tables, options), fromLeader);
  }

  /** Forward pages of many streams in one query, in the order asked. */
  readStreamPages(requests: readonly StreamPageRequest[], { fromLeader = false } = {}): Promise<Page<RecordedEvent>[]> {
    return this.onReader((db) => readStreamPages(db, this.tables, requests), fromLeader);
  }

  /** `fromLeader` for readers that must see every commit at once (the tailer), whatever replicas lag. */
  readAll(options: ReadAllOptions, { fromLeader = false } = {}): Promise<Page<RecordedEvent>> {
    return this.onReader((db) => readAll(db, this.tables, options), fromLeader);
  }

  listStreams(options: ListStreamsOptions): Promise<Page<StreamSummary>> {
    return this.onReader((db) => listStreams(db, this.tables, options));
  }

  streamVersions(streamIds: readonly string[], { fromLeader = false } = {}): Promise<number[]> {
    return this.onReader((db) => streamVersions(db, this.tables, streamIds), fromLeader);
  }

  firstVersionFrom(streamId: string, position: number): Promise<number | null> {
    return this.onReader((db) => firstVersionFrom(db, this.tables, streamId, position), true);
  }

  eventsById(ids: readonly string[]): Promise<(RecordedEvent | null)[]> {
    return this.onReader((db) => eventsById(db, this.tables, ids));
  }

  stats({ fromLeader = false } = {}): Promise<StoreStats> {
    return this.onReader((db) => storeStats(db, this.tables), fromLeader);
  }

  /**
   * A batch whose connection died before the answer may or may not be stored. It is
   * retried on the leader there is then, with every event id checked, the gateway's
   * own included, so a stored batch is recognised instead of written twice. The
   * requests keep that check for any later attempt (the committer may resend them one by one).
   */
  private commit(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    return this.cluster.write((db) => appendBatch(db, this.tables, requests, this.versionCache, this.appended), {
      prepareRetry: () => {
        for (const event of requests.flatMap((request) => request.events)) event.idGenerated = false;
      },
    });
  }

  recordSnapshot(snapshot: NewSnapshot): Promise<RecordedSnapshot> {
    return this.cluster.write((db) => recordSnapshot(db, this.tables, snapshot));
  }

  readSnapshots(queries: readonly SnapshotQuery[]): Promise<(RecordedSnapshot | null)[]> {
    return this.onReader((db) => readSnapshots(db, this.tables, queries));
  }

  listSnapshots(options: ListSnapshotsOptions): Promise<Page<RecordedSnapshot>> {
    return this.onReader((db) => listSnapshots(db, this.tables, options));
  }

  deleteSnapshot(key: SnapshotKey): Promise<boolean> {
    return this.cluster.write((db) => deleteSnapshot(db, this.tables, key));
  }

  /** Reads go to a random healthy node, or to the leader for `fromLeader` and for a `readingFromLeader` view. */
  private onReader<T>(run: (db: pg.Pool) => Promise<T>, fromLeader = false): Promise<T> {
    return this.cluster.read(run, { consistency: fromLeader ? 'leader' : this.consistency });
  }

  saveSubscription(definition: SubscriptionDefinition, settings: SettingsChange): Promise<SaveOutcome> {
    return this.cluster.write((db) => saveSubscription(db, this.tables, definition, settings));
  }

  removeSubscription(name: string): Promise<boolean> {
    return this.cluster.write((db) => removeSubscription(db, this.tables, name));
  }

  listSubscriptions(options: ListSubscriptionsOptions): Promise<SubscriptionStatus[]> {
    return this.onReader((db) => listSubscriptions(db, this.tables, options));
  }

  readParked(options: ReadParkedOptions): Promise<Page<RecordedEvent> | null> {
    return this.onReader((db) => readParked(db, this.tables, options));
  }

  replayParked(subscription: string): Promise<number | null> {
    return this.cluster.write((db) => replayParked(db, this.tables, subscription));
  }

  registerConsumer(subscription: string, consumerId: string, gatewayId: string): Promise<StoredSubscription | null> {
    return this.cluster.write((db) => registerConsumer(db, this.tables, subscription, consumerId, gatewayId));
  }

  releaseConsumer(subscription: string, consumerId: string): Promise<number> {
    return this.cluster.write((db) => releaseConsumer(db, this.tables, subscription, consumerId));
  }

  releaseGateway(gatewayId: string): Promise<void> {
    return this.cluster.write((db) => releaseGateway(db, this.tables, gatewayId));
  }

  heartbeatConsumers(gatewayId: string, forgetAfterMs: number): Promise<void> {
    return this.cluster.write((db) => heartbeatConsumers(db, this.tables, gatewayId, forgetAfterMs));
  }

  claimDue(request: ClaimDueRequest): Promise<DueClaim | null> {
    return this.cluster.write((db) => claimDue(db, this.tables, request));
  }

  claimFresh(request: ClaimFreshRequest): Promise<boolean> {
    return this.cluster.write((db) => claimFresh(db, this.tables, request));
  }

  gatewayLeases(subscription: string, gatewayId: string): Promise<HeldLease[]> {
    return this.onReader((db) => gatewayLeases(db, this.tables, subscription, gatewayId), true);
  }

  ackEvents(gatewayId: string, requests: readonly AckRequest[]): Promise<SettleOutcome[]> {
    return this.cluster.write((db) => ackEvents(db, this.tables, gatewayId, requests));
  }

  nackEvent(gatewayId: string, request: NackRequest): Promise<SettleOutcome> {
    return this.cluster.write((db) => nackEvent(db, this.tables, gatewayId, request));
  }
}
