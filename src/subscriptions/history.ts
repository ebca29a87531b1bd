import type { EventLog } from '../store/log/event-log.js';
import type { ReadAllOptions } from '../store/log/read-all.js';
import type { StreamPageRequest } from '../store/log/read-stream-pages.js';
import { StreamScope } from '../store/stream-scope.js';
import type { Page, RecordedEvent } from '../store/types.js';
import { compileFilter, type Selection } from './selection.js';

/**
 * A subscription's place in the log. Stream subscriptions count by version,
 * all others by global position; both grow with commit order.
 */
export function keyOf(selection: Selection, event: RecordedEvent): number {
  return selection.kind === 'stream' ? event.version : event.position;
}

export interface HistoryPage {
  /** The events the selection wants, in log order. */
  events: RecordedEvent[];
  /** Key of the last event looked at, matched or not; the next read goes on after it. */
  scannedTo: number;
  /** True when the read reached the end of what is committed. */
  exhausted: boolean;
}

/** The next page after `afterKey`: at most `limit` events, cut once their JSON reaches `maxBytes` (the first always comes). */
export type HistoryReader = (afterKey: number, limit: number, maxBytes: number) => Promise<HistoryPage>;

/** Pattern keys that PostgreSQL can narrow with before the exact match runs here. */
function sqlPrefilter(pattern: Record<string, unknown>) {
  const { streamId, type, data, metadata } = pattern;
  return {
    streamId: typeof streamId === 'string' ? streamId : undefined,
    eventTypes: typeof type === 'string' ? [type] : undefined,
    dataContains: data,
    metadataContains: metadata,
  };
}

/** Where history pages come from. */
export interface PageSource {
  /** Forward from `fromVersion` (inclusive) of one stream. */
  streamPage(request: StreamPageRequest): Promise<Page<RecordedEvent>>;
  /** Forward through the global log, filtered. */
  logPage(options: ReadAllOptions): Promise<Page<RecordedEvent>>;
}

/** The log reads history pages are made of. */
export type LogReads = Pick<EventLog, 'readStream' | 'readAll'>;

/**
 * Pages read one query each, from the leader: a replica's history may end
 * short of where the live feed begins, and a subscriber would join live
 * across a gap.
 */
export function leaderPages(log: LogReads): PageSource {
  const fromLeader = { fromLeader: true };
  return {
    streamPage: ({ streamId, fromVersion, limit, maxBytes }) => log.readStream({ streamId, direction: 'forward', fromVersion, limit, maxBytes }, fromLeader),
    logPage: (options) => log.readAll(options, fromLeader),
  };
}

/** Reads what a selection wants from the database, after a key: replay, and catch-up after a slow consumer. */
export function historyReader(pages: PageSource, selection: Selection, scope = StreamScope.EVERY_STREAM): HistoryReader {
  const exact = compileFilter(selection);
  const streamPatterns = scope.likePatterns() ?? undefined;
  return async (afterKey, limit, maxBytes) => {
    if (selection.kind === 'stream' && !scope.includes(selection.streamId)) return { events: [], scannedTo: afterKey, exhausted: true };
    const page =
      selection.kind === 'stream'
        ? await pages.streamPage({ streamId: selection.streamId, fromVersion: afterKey + 1, limit, maxBytes })
        : await pages.logPage({
            direction: 'forward',
            fromPosition: afterKey + 1,
            eventTypes: selection.kind === 'type' ? [selection.eventType] : undefined,
            streamPrefix: undefined,
            ...(selection.kind === 'pattern' ? sqlPrefilter(selection.pattern) : {}),
            ...(selection.kind === 'payload' ? { dataContains: selection.payload } : {}),
            ...(streamPatterns ? { streamPatterns } : {}),
            limit,
            maxBytes,
          });
    const last = page.items[page.items.length - 1];
    return {
      events: exact ? page.items.filter(exact) : page.items,
      scannedTo: last ? keyOf(selection, last) : afterKey,
      exhausted: !page.hasMore,
    };
  };
}
