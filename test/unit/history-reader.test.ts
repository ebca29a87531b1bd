import { describe, expect, it } from 'vitest';
import type { ReadAllOptions } from '../../src/store/log/read-all.js';
import type { StreamPageRequest } from '../../src/store/log/read-stream-pages.js';
import type { Page, RecordedEvent } from '../../src/store/types.js';
import { historyReader, type PageSource } from '../../src/subscriptions/history.js';
import { positionsOf, recordedEvent } from '../support/recorded-event.js';

/** Answers each request with `page` and keeps the requests, as the store would receive them. */
function fakePages(page: Page<RecordedEvent>) {
  const streamRequests: StreamPageRequest[] = [];
  const logRequests: ReadAllOptions[] = [];
  const pages: PageSource = {
    streamPage: async (request) => (streamRequests.push(request), page),
    logPage: async (options) => (logRequests.push(options), page),
  };
  return { pages, streamRequests, logRequests };
}

describe('historyReader', () => {
  it('reads a stream from the version after the key, and names the last version read', async () => {
    const { pages, streamRequests } = fakePages({ items: [recordedEvent(40, { version: 5 }), recordedEvent(41, { version: 6 })], hasMore: true });
    const page = await historyReader(pages, { kind: 'stream', streamId: 'order-1' })(4, 2, 1024);
    expect(streamRequests).toEqual([{ streamId: 'order-1', fromVersion: 5, limit: 2, maxBytes: 1024 }]);
    expect(page).toMatchObject({ scannedTo: 6, exhausted: false });
  });

  it('reads the log from the position after the key, narrowed in SQL by what the selection names', async () => {
    const { pages, logRequests } = fakePages({ items: [], hasMore: false });
    await historyReader(pages, { kind: 'type', eventType: 'OrderPlaced' })(9, 3, 1024);
    await historyReader(pages, { kind: 'pattern', pattern: { streamId: 'a', type: 'B', data: { x: 1 } } })(9, 3, 1024);
    expect(logRequests[0]).toMatchObject({ direction: 'forward', fromPosition: 10, eventTypes: ['OrderPlaced'], limit: 3, maxBytes: 1024 });
    expect(logRequests[1]).toMatchObject({ fromPosition: 10, streamId: 'a', eventTypes: ['B'], dataContains: { x: 1 } });
  });

  it('answers only what the selection matches exactly, yet moves past everything the page held', async () => {
    const { pages } = fakePages({ items: [recordedEvent(1, { data: { x: 1 } }), recordedEvent(2, { data: { x: 1, y: 2 } }), recordedEvent(3, { data: { x: [1] } })], hasMore: false });
    const page = await historyReader(pages, { kind: 'payload', payload: { x: 1 } })(0, 3, 1024);
    expect(positionsOf(page.events)).toEqual([1, 2]);
    expect(page).toMatchObject({ scannedTo: 3, exhausted: true });
  });

  it('stays at the key when the page is empty', async () => {
    const { pages } = fakePages({ items: [], hasMore: false });
    expect(await historyReader(pages, { kind: 'all' })(7, 5, 1024)).toEqual({ events: [], scannedTo: 7, exhausted: true });
  });
});
