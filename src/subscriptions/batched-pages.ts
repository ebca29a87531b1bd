import DataLoader from 'dataloader';
import type { EventStore } from '../store/event-store.js';
import type { ReadAllOptions } from '../store/read-all.js';
import type { StreamPageRequest } from '../store/read-stream-pages.js';
import type { Page, RecordedEvent } from '../store/types.js';
import type { PageSource } from './history.js';

/**
 * History pages of a store's live subscriptions, gathered per tick. A client
 * opening thousands of subscriptions at once reads their first pages in a few
 * queries instead of queueing one query each for the connection pool, where
 * waits time out under load. Stream pages go in one query per batch; log
 * pages asked for alike (all of `$all` from the head, say) are read once.
 * From the leader, as `leaderPages`.
 */
export function batchedLeaderPages(store: EventStore): PageSource {
  const fromLeader = { fromLeader: true };
  const streamPages = new DataLoader<StreamPageRequest, Page<RecordedEvent>>((requests) => store.readStreamPages(requests, fromLeader), {
    cache: false,
    // A page may hold a subscriber's whole buffer; this keeps one answer to a few hundred thousand events.
    maxBatchSize: 200,
  });
  const logPages = new DataLoader<ReadAllOptions, Page<RecordedEvent>>(
    (requests) => {
      const reads = new Map<string, Promise<Page<RecordedEvent>>>();
      return Promise.all(
        requests.map((options) => {
          const key = JSON.stringify(options);
          let read = reads.get(key);
          if (!read) reads.set(key, (read = store.readAll(options, fromLeader)));
          return read.catch((error: Error) => error);
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
