import type { StoreRoute } from '../store-route.js';
import type { AppendOutcome, AppendRequest, Page, RecordedEvent, StoreStats, StreamSummary } from '../types.js';
import { appendBatch, type AppendCounters } from './append-batch.js';
import { eventsById } from './events-by-id.js';
import { firstVersionFrom } from './first-version-from.js';
import { GroupCommitter } from './group-commit.js';
import { listStreams, type ListStreamsOptions } from './list-streams.js';
import { readAll, type ReadAllOptions } from './read-all.js';
import { readStream, type ReadStreamOptions } from './read-stream.js';
import { readStreamPages, type StreamPageRequest } from './read-stream-pages.js';
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

/** Characters of JSON an append carries: bytes for ASCII, a bound close enough otherwise. */
function payloadBytes(request: AppendRequest): number {
  let bytes = 0;
  for (const event of request.events) bytes += event.dataJson.length + event.metadataJson.length;
  return bytes;
}

/** What every view of one log shares: appends batch together whichever view they come through. */
interface SharedAppendPath {
  committer: GroupCommitter<AppendRequest, AppendOutcome>;
  versionCache: StreamVersionCache;
  appended: AppendCounters;
}

/** A store's event log: appends through the group commit, and every read of streams and of `$all`. */
export class EventLog {
  private leaderReads: EventLog | undefined;

  private constructor(
    private readonly route: StoreRoute,
    private readonly shared: SharedAppendPath,
  ) {}

  static open(route: StoreRoute): EventLog {
    const versionCache = new StreamVersionCache();
    const appended: AppendCounters = { events: 0, batches: 0 };
    const committer = new GroupCommitter({
      commit: (requests: AppendRequest[]) => commitBatch(route, requests, versionCache, appended),
      sizeOf: (request: AppendRequest) => request.events.length,
      maxBatchSize: MAX_BATCH_EVENTS,
      bytesOf: payloadBytes,
      maxBatchBytes: MAX_BATCH_PAYLOAD_BYTES,
    });
    return new EventLog(route, { committer, versionCache, appended });
  }

  /**
   * This log with every read served by the leader (read-your-writes). It shares the
   * group committer, so its appends batch with everyone's.
   */
  readingFromLeader(): EventLog {
    const leader = this.route.toLeader();
    if (leader === this.route) return this;
    this.leaderReads ??= new EventLog(leader, this.shared);
    return this.leaderReads;
  }

  /** Events and group-commit batches appended through this gateway, for /metrics. */
  get appended(): Readonly<AppendCounters> {
    return this.shared.appended;
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    return this.shared.committer.submit(request);
  }

  readStream(options: ReadStreamOptions, { fromLeader = false } = {}): Promise<Page<RecordedEvent>> {
    return this.route.read((db, tables) => readStream(db, tables, options), fromLeader);
  }

  /** Forward pages of many streams in one query, in the order asked. */
  readStreamPages(requests: readonly StreamPageRequest[], { fromLeader = false } = {}): Promise<Page<RecordedEvent>[]> {
    return this.route.read((db, tables) => readStreamPages(db, tables, requests), fromLeader);
  }

  readAll(options: ReadAllOptions, { fromLeader = false } = {}): Promise<Page<RecordedEvent>> {
    return this.route.read((db, tables) => readAll(db, tables, options), fromLeader);
  }

  listStreams(options: ListStreamsOptions): Promise<Page<StreamSummary>> {
    return this.route.read((db, tables) => listStreams(db, tables, options));
  }

  streamVersions(streamIds: readonly string[], { fromLeader = false } = {}): Promise<number[]> {
    return this.route.read((db, tables) => streamVersions(db, tables, streamIds), fromLeader);
  }

  firstVersionFrom(streamId: string, position: number): Promise<number | null> {
    return this.route.read((db, tables) => firstVersionFrom(db, tables, streamId, position), true);
  }

  eventsById(ids: readonly string[]): Promise<(RecordedEvent | null)[]> {
    return this.route.read((db, tables) => eventsById(db, tables, ids));
  }

  stats({ fromLeader = false } = {}): Promise<StoreStats> {
    return this.route.read((db, tables) => storeStats(db, tables), fromLeader);
  }
}

/**
 * A batch whose connection died before the answer may or may not be stored. It is
 * retried on the leader there is then, with every event id checked, the gateway's
 * own included, so a stored batch is recognised instead of written twice. The
 * requests keep that check for any later attempt (the committer may resend them one by one).
 */
function commitBatch(
  route: StoreRoute,
  requests: AppendRequest[],
  versionCache: StreamVersionCache,
  appended: AppendCounters,
): Promise<AppendOutcome[]> {
  return route.write((db, tables) => appendBatch(db, tables, requests, versionCache, appended), {
    prepareRetry: () => {
      for (const event of requests.flatMap((request) => request.events)) event.idGenerated = false;
    },
  });
}
