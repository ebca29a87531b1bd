import { isClusterFault } from '../../cluster/cluster-errors.js';
import type { ErasureNotices } from '../erasures.js';
import { StreamOutOfScopeError } from '../errors.js';
import type { StoreRoute } from '../store-route.js';
import { appendBatchSpan, appendSpan, pageSpan, storeSpan } from '../store-spans.js';
import { StreamScope } from '../stream-scope.js';
import type {
  AppendCondition,
  AppendOutcome,
  AppendRequest,
  DeleteStreamOutcome,
  MultiStreamAppendOutcome,
  MultiStreamAppendRequest,
  Page,
  RecordedEvent,
  StoreStats,
  StreamSummary,
} from '../types.js';
import { appendBatch, type AppendCounters } from './append-batch.js';
import type { BatchMember, MemberOutcome, ScopedCondition } from './append-plan.js';
import { conditionClearUpTo } from './condition-look-ahead.js';
import { deleteStream, type DeleteStreamRequest } from './delete-stream.js';
import { streamTombstones } from './stream-tombstones.js';
import { eventsById } from './events-by-id.js';
import { firstVersionFrom } from './first-version-from.js';
import { GroupCommitter } from './group-commit.js';
import { Slots } from './slots.js';
import { listStreams, type ListStreamsOptions } from './list-streams.js';
import { readAll, type ReadAllOptions } from './read-all.js';
import { readStream, type ReadStreamOptions } from './read-stream.js';
import { readStreamPages, type StreamPageRequest } from './read-stream-pages.js';
import { scopedStats } from './scoped-stats.js';
import { storeStats } from './store-stats.js';
import { StreamVersionCache } from './stream-version-cache.js';
import { streamVersions } from './stream-versions.js';

/** Events per group-commit transaction; large enough to amortise, small enough to keep latency flat. */
const MAX_BATCH_EVENTS = 5_000;
/**
 * Payload per group-commit transaction. A batch travels as one statement whose
 * payloads are single strings; unbounded, large events would make them too
 * long for the gateway to build (and the transaction heavy to hold).
 */
const MAX_BATCH_PAYLOAD_BYTES = 64 * 2 ** 20;

/** How much of a write's time (`GATER_WRITE_TIMEOUT_MS`) a condition's look-ahead may take; the write keeps the rest. */
const LOOK_AHEAD_SHARE_OF_WRITE_TIME = 0.5;

/**
 * Look-aheads of one store running at once on this gateway. Each may read much of the log on the
 * leader's read pool; unbounded, 25 clients sending such conditions took that pool from every read.
 */
const LOOK_AHEADS_AT_ONCE = 4;

/** Characters of JSON an append carries: bytes for ASCII, a bound close enough otherwise. */
function payloadBytes(member: BatchMember): number {
  let bytes = 0;
  for (const part of member.parts) for (const event of part.events) bytes += event.dataJson.length + event.metadataJson.length;
  return bytes;
}

function eventCount(member: BatchMember): number {
  let events = 0;
  for (const part of member.parts) events += part.events.length;
  return events;
}

function totalEvents(members: readonly BatchMember[]): number {
  let events = 0;
  for (const member of members) events += eventCount(member);
  return events;
}

/** What every view of one log shares: appends batch together whichever view they come through. */
interface SharedAppendPath {
  committer: GroupCommitter<BatchMember, MemberOutcome>;
  versionCache: StreamVersionCache;
  appended: AppendCounters;
  erasures: ErasureNotices;
  lookAheadSlots: Slots;
}

const EMPTY_PAGE: Page<RecordedEvent> = Object.freeze({ items: [], hasMore: false }) as Page<RecordedEvent>;

/**
 * A store's event log: appends through the group commit, and every read of
 * streams and of `$all`. A log seen through a stream scope finds nothing
 * outside it and refuses to append there.
 */
export class EventLog {
  private leaderReads: EventLog | undefined;

  private constructor(
    private readonly route: StoreRoute,
    private readonly shared: SharedAppendPath,
    readonly scope: StreamScope = StreamScope.EVERY_STREAM,
  ) {}

  /** `erasures` hears of each deletion made through this log before it is answered. */
  static open(route: StoreRoute, erasures: ErasureNotices, committed?: AppendCounters['committed']): EventLog {
    const versionCache = new StreamVersionCache();
    const appended: AppendCounters = { events: 0, batches: 0, committed };
    const committer = new GroupCommitter({
      commit: (members: BatchMember[], since: number) =>
        appendBatchSpan(route.tables, members, totalEvents(members), () => commitBatch(route, members, since, versionCache, appended)),
      sizeOf: eventCount,
      maxBatchSize: MAX_BATCH_EVENTS,
      bytesOf: payloadBytes,
      maxBatchBytes: MAX_BATCH_PAYLOAD_BYTES,
      retryAlone: (error) => !isClusterFault(error),
    });
    return new EventLog(route, { committer, versionCache, appended, erasures, lookAheadSlots: new Slots(LOOK_AHEADS_AT_ONCE) });
  }

  /**
   * This log with every read served by the leader (read-your-writes). It shares the
   * group committer, so its appends batch with everyone's.
   */
  readingFromLeader(): EventLog {
    const leader = this.route.toLeader();
    if (leader === this.route) return this;
    this.leaderReads ??= new EventLog(leader, this.shared, this.scope);
    return this.leaderReads;
  }

  /** This log as a caller limited to `scope` sees it; it shares the group committer too. */
  scopedTo(scope: StreamScope): EventLog {
    return scope.isEveryStream ? this : new EventLog(this.route, this.shared, scope);
  }

  /** LIKE patterns of the scope, for the SQL of reads; undefined when every stream is in it. */
  private get streamPatterns(): string[] | undefined {
    return this.scope.likePatterns() ?? undefined;
  }

  /** Events and group-commit batches appended through this gateway, for /metrics. */
  get appended(): Readonly<AppendCounters> {
    return this.shared.appended;
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    if (!this.scope.includes(request.streamId)) return Promise.reject(new StreamOutOfScopeError(request.streamId));
    const { condition, ...part } = request;
    return this.submit({ parts: [part], condition: this.scoped(condition), multi: false }) as Promise<AppendOutcome>;
  }

  /** Appends to several streams in one member of the group commit: all of it or none. */
  appendToStreams(request: MultiStreamAppendRequest): Promise<MultiStreamAppendOutcome> {
    const outside = request.streams.find((part) => !this.scope.includes(part.streamId));
    if (outside) return Promise.reject(new StreamOutOfScopeError(outside.streamId));
    return this.submit({ parts: request.streams, condition: this.scoped(request.condition), multi: true }) as Promise<MultiStreamAppendOutcome>;
  }

  private submit(given: BatchMember): Promise<MemberOutcome> {
    if (!given.condition) return this.commit(given);
    // The look-ahead is part of the write's time: its answer is due a write timeout after this.
    const since = performance.now();
    return this.withConditionLookedAhead(given, given.condition, since).then((member) => this.commit(member, since));
  }

  /** `since`: when the append's time started, if before it reaches the committer. */
  private commit(member: BatchMember, since?: number): Promise<MemberOutcome> {
    return appendSpan(this.route.tables, member, eventCount(member), () => this.shared.committer.submit(member, since));
  }

  /**
   * The member with its condition's `after` moved past what it can be known not to match, so the write
   * checks less under the lock. A look-ahead that fails, or does not end within its share of the write's
   * time (waiting for one of the store's look-ahead slots included), is given up: the write then checks
   * everything from `after`, as it would without one.
   */
  private async withConditionLookedAhead(member: BatchMember, condition: ScopedCondition, since: number): Promise<BatchMember> {
    const deadline = since + this.route.writeTimeoutMs * LOOK_AHEAD_SHARE_OF_WRITE_TIME;
    const { lookAheadSlots } = this.shared;
    if (!(await lookAheadSlots.take(deadline - performance.now()))) return member;
    let after: number | undefined;
    try {
      after = await storeSpan('look ahead of an append condition', this.route.tables, () =>
        this.route.optionalLeaderRead((db, tables) => conditionClearUpTo(db, tables, condition), Math.max(0, deadline - performance.now())),
      );
    } finally {
      lookAheadSlots.give();
    }
    return after !== undefined && after > condition.after ? { ...member, condition: { ...condition, after } } : member;
  }

  /** A condition sees only the streams of this view's scope. */
  private scoped(condition: AppendCondition | undefined): ScopedCondition | undefined {
    return condition && { ...condition, scope: this.scope };
  }

  /**
   * Erases a stream (see deleteStream); the version this gateway remembers of
   * it goes too, and its subscribers drop the stream's events they hold.
   */
  async deleteStream(request: DeleteStreamRequest): Promise<DeleteStreamOutcome> {
    if (!this.scope.includes(request.streamId)) throw new StreamOutOfScopeError(request.streamId);
    try {
      const { outcome, erasure } = await this.route.write((db, tables) => deleteStream(db, tables, request));
      if (erasure) this.shared.erasures.tell(erasure);
      return outcome;
    } finally {
      this.shared.versionCache.forget([request.streamId]);
    }
  }

  /** Whether each stream was hard-deleted; false for one the scope hides. */
  async tombstones(streamIds: readonly string[]): Promise<boolean[]> {
    const found = await this.route.read((db, tables) => streamTombstones(db, tables, streamIds));
    return found.map((tombstone, index) => tombstone && this.scope.includes(streamIds[index]!));
  }

  readStream(options: ReadStreamOptions, { fromLeader = false } = {}): Promise<Page<RecordedEvent>> {
    if (!this.scope.includes(options.streamId)) return Promise.resolve(EMPTY_PAGE);
    return pageSpan('read stream', this.route.tables, () => this.route.read((db, tables) => readStream(db, tables, options), fromLeader));
  }

  /** Forward pages of many streams in one query, in the order asked. */
  async readStreamPages(requests: readonly StreamPageRequest[], { fromLeader = false } = {}): Promise<Page<RecordedEvent>[]> {
    const visible = requests.filter((request) => this.scope.includes(request.streamId));
    const pages = visible.length === 0 ? [] : await storeSpan('read stream pages', this.route.tables, () => this.route.read((db, tables) => readStreamPages(db, tables, visible), fromLeader));
    if (visible.length === requests.length) return pages;
    let next = 0;
    return requests.map((request) => (this.scope.includes(request.streamId) ? pages[next++]! : EMPTY_PAGE));
  }

  readAll(options: ReadAllOptions, { fromLeader = false } = {}): Promise<Page<RecordedEvent>> {
    const scoped = this.streamPatterns ? { ...options, streamPatterns: this.streamPatterns } : options;
    return pageSpan('read all', this.route.tables, () => this.route.read((db, tables) => readAll(db, tables, scoped), fromLeader));
  }

  listStreams(options: ListStreamsOptions): Promise<Page<StreamSummary>> {
    const scoped = this.streamPatterns ? { ...options, streamPatterns: this.streamPatterns } : options;
    return this.route.read((db, tables) => listStreams(db, tables, scoped));
  }

  /** -1 for a stream that does not exist, or that the scope hides. */
  async streamVersions(streamIds: readonly string[], { fromLeader = false } = {}): Promise<number[]> {
    const versions = await this.route.read((db, tables) => streamVersions(db, tables, streamIds), fromLeader);
    return this.scope.isEveryStream ? versions : versions.map((version, index) => (this.scope.includes(streamIds[index]!) ? version : -1));
  }

  firstVersionFrom(streamId: string, position: number): Promise<number | null> {
    if (!this.scope.includes(streamId)) return Promise.resolve(null);
    return this.route.read((db, tables) => firstVersionFrom(db, tables, streamId, position), true);
  }

  /** Null for an id that is not stored, or whose stream the scope hides. */
  async eventsById(ids: readonly string[]): Promise<(RecordedEvent | null)[]> {
    const events = await this.route.read((db, tables) => eventsById(db, tables, ids));
    return this.scope.isEveryStream ? events : events.map((event) => (event && this.scope.includes(event.streamId) ? event : null));
  }

  /** The counts of the streams in scope: the store's own when that is every stream. */
  stats({ fromLeader = false } = {}): Promise<StoreStats> {
    const patterns = this.streamPatterns;
    if (patterns) return this.route.read((db, tables) => scopedStats(db, tables, patterns), fromLeader);
    return this.route.read((db, tables) => storeStats(db, tables), fromLeader);
  }
}

/**
 * A batch whose connection died before the answer may or may not be stored. It is
 * retried on the leader there is then, with every event id checked, the gateway's
 * own included, so a stored batch is recognised instead of written twice. The
 * requests keep that check for any later attempt (the committer may resend them one by one).
 * The whole is bounded by the deadline of the batch's oldest request.
 */
function commitBatch(
  route: StoreRoute,
  members: BatchMember[],
  since: number,
  versionCache: StreamVersionCache,
  appended: AppendCounters,
): Promise<MemberOutcome[]> {
  return route.write((db, tables) => appendBatch(db, tables, members, versionCache, appended), {
    since,
    prepareRetry: () => {
      for (const member of members) for (const part of member.parts) for (const event of part.events) event.idGenerated = false;
    },
  });
}
