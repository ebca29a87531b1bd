import DataLoader from 'dataloader';
import type { EventLog } from '../store/log/event-log.js';
import type { ReadAllOptions } from '../store/log/read-all.js';
import type { StreamPageRequest } from '../store/log/read-stream-pages.js';
import type { Page, RecordedEvent } from '../store/types.js';
import { leaderPages, type PageSource } from './history.js';

/** Most events one batched query may answer with; a batch holds as many streams' pages as fit. */
const MAX_EVENTS_PER_QUERY = 50_000;
/** Most bytes of event JSON one batched query may answer with: its pages share them. */
const MAX_BYTES_PER_QUERY = 64 * 2 ** 20;

/** Each page's bound in bytes, so that the batch as a whole keeps within MAX_BYTES_PER_QUERY. */
function sharingBytes(requests: readonly StreamPageRequest[]): StreamPageRequest[] {
  const share = Math.max(1, Math.floor(MAX_BYTES_PER_QUERY / requests.length));
  return requests.map((request) => (request.maxBytes !== undefined && request.maxBytes <= share ? request : { ...request, maxBytes: share }));
}

type PageOrError = Page<RecordedEvent> | Error;

/**
 * History pages of a store's live subscriptions, gathered per tick. A client
 * opening thousands of subscriptions at once reads their first pages in a few
 * queries instead of queueing one query each for the connection pool, where
 * waits time out under load. Stream pages go in shared queries; log pages
 * asked for alike (all of `$all` from the head, say) are read once. From the
 * leader, as `leaderPages`.
 */
export function batchedLeaderPages(log: EventLog, pageSize: number): PageSource {
  const alone = leaderPages(log);
  const streamPages = new DataLoader<StreamPageRequest, Page<RecordedEvent>>(
    // A batch that fails as a whole is read again page by page, so that one bad read ends only its own subscription.
    (requests) =>
      log
        .readStreamPages(sharingBytes(requests), { fromLeader: true })
        .catch(() => Promise.all(requests.map((request): Promise<PageOrError> => alone.streamPage(request).catch((error: Error) => error)))),
    { cache: false, maxBatchSize: Math.max(1, Math.min(1_000, Math.floor(MAX_EVENTS_PER_QUERY / (pageSize + 1)))) },
  );
  const logPages = new DataLoader<ReadAllOptions, Page<RecordedEvent>>(
    (requests) => {
      const reads = new Map<string, Promise<PageOrError>>();
      return Promise.all(
        requests.map((options) => {
          const key = JSON.stringify(options);
          let read = reads.get(key);
          if (!read) reads.set(key, (read = alone.logPage(options).catch((error: Error) => error)));
          return read;
        }),
      );
    },
    { cache: false },
  );
  return {
    streamPage: (request) => streamPages.load(request),
    logPage: (options) => logPages.load(options),
  };
}
