import { beforeAll, describe, expect, it } from 'vitest';
import {
  EVENTS_PAGE,
  STREAM_PAGE,
  STREAMS_PAGE,
  type EventView,
  type EventsPageData,
  type StreamPageData,
  type StreamsPageData,
} from '../support/queries.js';
import { appendSuccess, dataOf, newEvents, readAll } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * One database for this file, filled once: stream `paged` (25 events) written
 * in appends interleaved with `other` (10 events), `exact` (20 events), and
 * `big` (101 events). The global log is therefore known position by position.
 */
const gw = useGateway();
let paged: EventView[];
let all: EventView[];

beforeAll(async () => {
  for (let round = 0; round < 5; round++) {
    await appendSuccess(gw, { streamId: 'paged', events: newEvents(5, 'Paged') });
    await appendSuccess(gw, { streamId: 'other', events: newEvents(2, 'Other') });
  }
  await appendSuccess(gw, { streamId: 'exact', events: newEvents(20, 'Exact') });
  await appendSuccess(gw, { streamId: 'big', events: newEvents(101, 'Big') });
  all = await readAll(gw);
  paged = all.filter((event) => event.streamId === 'paged');
});

type StreamPageArgs = {
  fromVersion?: number;
  direction?: 'FORWARD' | 'BACKWARD';
  first?: number;
  after?: string | null;
};

async function streamPage(id: string, args: StreamPageArgs = {}) {
  return dataOf(await gw.gql<StreamPageData>(STREAM_PAGE, { id, ...args })).stream.events;
}

/** Follows `after` from the first page to the last; answers every page. */
async function streamPages(id: string, args: StreamPageArgs) {
  const pages = [await streamPage(id, args)];
  while (pages[pages.length - 1]!.pageInfo.hasNextPage) {
    pages.push(await streamPage(id, { ...args, after: pages[pages.length - 1]!.pageInfo.endCursor }));
  }
  return pages;
}

type EventsPageArgs = {
  fromPosition?: number;
  direction?: 'FORWARD' | 'BACKWARD';
  first?: number;
  after?: string | null;
};

async function eventsPage(args: EventsPageArgs = {}) {
  return dataOf(await gw.gql<EventsPageData>(EVENTS_PAGE, args)).events;
}

async function eventsPages(args: EventsPageArgs) {
  const pages = [await eventsPage(args)];
  while (pages[pages.length - 1]!.pageInfo.hasNextPage) {
    pages.push(await eventsPage({ ...args, after: pages[pages.length - 1]!.pageInfo.endCursor }));
  }
  return pages;
}

const nodes = (page: { edges: { node: EventView }[] }) => page.edges.map((edge) => edge.node);
const versions = (page: { edges: { node: EventView }[] }) => nodes(page).map((event) => event.version);
const positions = (page: { edges: { node: EventView }[] }) => nodes(page).map((event) => event.position);
const range = (from: number, to: number) => Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (from <= to ? from + i : from - i));

it('the fixture holds what the tests expect', () => {
  expect(all).toHaveLength(25 + 10 + 20 + 101);
  expect(paged.map((event) => event.version)).toEqual(range(0, 24));
});

describe('stream events, forward', () => {
  it('pages with `after` concatenate to the whole stream, hasNextPage false only on the last page', async () => {
    const pages = await streamPages('paged', { first: 10 });
    expect(pages.map(versions)).toEqual([range(0, 9), range(10, 19), range(20, 24)]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.flatMap(nodes)).toEqual(paged);
  });

  it('endCursor is the cursor of the last edge', async () => {
    const page = await streamPage('paged', { first: 4 });
    expect(page.pageInfo.endCursor).toBe(page.edges[3]!.cursor);
  });

  it('fromVersion is inclusive, and `after` continues from the page it ended', async () => {
    const first = await streamPage('paged', { fromVersion: 5, first: 3 });
    expect(versions(first)).toEqual([5, 6, 7]);
    const next = await streamPage('paged', { fromVersion: 5, first: 3, after: first.pageInfo.endCursor });
    expect(versions(next)).toEqual([8, 9, 10]);
  });

  it('a stream of exactly two full pages says hasNextPage false on the second', async () => {
    const pages = await streamPages('exact', { first: 10 });
    expect(pages.map((page) => [page.edges.length, page.pageInfo.hasNextPage])).toEqual([
      [10, true],
      [10, false],
    ]);
  });

  it('first defaults to 100', async () => {
    const page = await streamPage('big');
    expect(versions(page)).toEqual(range(0, 99));
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(versions(await streamPage('big', { after: page.pageInfo.endCursor }))).toEqual([100]);
  });

  it('fromVersion past the end is an empty last page', async () => {
    const page = await streamPage('paged', { fromVersion: 25 });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it('a stream that does not exist has version -1, does not exist, and has no events', async () => {
    const stream = dataOf(await gw.gql<StreamPageData>(STREAM_PAGE, { id: 'missing' })).stream;
    expect(stream).toMatchObject({ id: 'missing', version: -1, exists: false });
    expect(stream.events.edges).toEqual([]);
    expect(stream.events.pageInfo.hasNextPage).toBe(false);
  });

  it('Stream.version and exists describe an existing stream', async () => {
    const stream = dataOf(await gw.gql<StreamPageData>(STREAM_PAGE, { id: 'paged', first: 1 })).stream;
    expect(stream).toMatchObject({ id: 'paged', version: 24, exists: true });
  });
});

describe('stream events, backward', () => {
  it('without fromVersion starts at the last event', async () => {
    expect(versions(await streamPage('paged', { direction: 'BACKWARD', first: 3 }))).toEqual([24, 23, 22]);
  });

  it('pages concatenate to the whole stream reversed, hasNextPage false on the last page', async () => {
    const pages = await streamPages('paged', { direction: 'BACKWARD', first: 10 });
    expect(pages.map(versions)).toEqual([range(24, 15), range(14, 5), range(4, 0)]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.flatMap(nodes)).toEqual([...paged].reverse());
  });

  it('fromVersion is inclusive, and `after` continues downwards', async () => {
    const first = await streamPage('paged', { direction: 'BACKWARD', fromVersion: 10, first: 4 });
    expect(versions(first)).toEqual([10, 9, 8, 7]);
    const next = await streamPage('paged', { direction: 'BACKWARD', fromVersion: 10, first: 4, after: first.pageInfo.endCursor });
    expect(versions(next)).toEqual([6, 5, 4, 3]);
  });

  it('after the cursor of version 0 there is nothing', async () => {
    const pages = await streamPages('paged', { direction: 'BACKWARD', fromVersion: 1, first: 2 });
    expect(pages.map(versions)).toEqual([[1, 0]]);
    const cursorOfZero = pages[0]!.edges[1]!.cursor;
    const rest = await streamPage('paged', { direction: 'BACKWARD', after: cursorOfZero });
    expect(rest.edges).toEqual([]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });
});

describe('the global log (events)', () => {
  it('forward pages concatenate to every event at positions 1..N', async () => {
    const pages = await eventsPages({ first: 7 });
    expect(pages.flatMap(positions)).toEqual(range(1, all.length));
    expect(pages.flatMap(nodes)).toEqual(all);
    expect(pages.slice(0, -1).every((page) => page.pageInfo.hasNextPage)).toBe(true);
    expect(pages[pages.length - 1]!.pageInfo.hasNextPage).toBe(false);
  });

  it('fromPosition is inclusive, and `after` continues', async () => {
    const first = await eventsPage({ fromPosition: 10, first: 5 });
    expect(positions(first)).toEqual(range(10, 14));
    expect(positions(await eventsPage({ fromPosition: 10, first: 5, after: first.pageInfo.endCursor }))).toEqual(range(15, 19));
  });

  it('BACKWARD without fromPosition begins at the end', async () => {
    const page = await eventsPage({ direction: 'BACKWARD', first: 3 });
    expect(positions(page)).toEqual([all.length, all.length - 1, all.length - 2]);
    expect(nodes(page)[0]).toEqual(all[all.length - 1]);
  });

  it('BACKWARD pages concatenate to every event reversed', async () => {
    const pages = await eventsPages({ direction: 'BACKWARD', first: 50 });
    expect(pages.flatMap(nodes)).toEqual([...all].reverse());
    expect(pages[pages.length - 1]!.pageInfo.hasNextPage).toBe(false);
  });

  it('BACKWARD from a position is inclusive, and `after` continues downwards', async () => {
    const first = await eventsPage({ direction: 'BACKWARD', fromPosition: 20, first: 5 });
    expect(positions(first)).toEqual(range(20, 16));
    const next = await eventsPage({ direction: 'BACKWARD', fromPosition: 20, first: 5, after: first.pageInfo.endCursor });
    expect(positions(next)).toEqual(range(15, 11));
  });

  it('fromPosition past the head is an empty last page', async () => {
    const page = await eventsPage({ fromPosition: all.length + 1 });
    expect(page.edges).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('first defaults to 100', async () => {
    const page = await eventsPage();
    expect(positions(page)).toEqual(range(1, 100));
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('a stream cursor is not accepted as a cursor of the global log', async () => {
    const streamCursor = (await streamPage('paged', { first: 1 })).pageInfo.endCursor;
    const response = await gw.gql(EVENTS_PAGE, { after: streamCursor });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('the streams listing', () => {
  beforeAll(async () => {
    // Streams whose ids sort around the prefix "acct-".
    for (const id of ['acct-03', 'acct-01', 'acct_x', 'acct-10', 'acct-02', 'acct', 'acct-05', 'acct-04', 'acct.z', 'acct-11']) {
      await appendSuccess(gw, { streamId: id, events: newEvents(id.length % 3 + 1, 'Opened') });
    }
  });

  async function streamsPages(args: { prefix?: string; first?: number }) {
    const pages = [dataOf(await gw.gql<StreamsPageData>(STREAMS_PAGE, args)).streams];
    while (pages[pages.length - 1]!.pageInfo.hasNextPage) {
      const after = pages[pages.length - 1]!.pageInfo.endCursor;
      pages.push(dataOf(await gw.gql<StreamsPageData>(STREAMS_PAGE, { ...args, after })).streams);
    }
    return pages;
  }

  it('with a prefix lists only those streams, in id order, page by page', async () => {
    const pages = await streamsPages({ prefix: 'acct-', first: 3 });
    expect(pages.map((page) => page.edges.map((edge) => edge.node.id))).toEqual([
      ['acct-01', 'acct-02', 'acct-03'],
      ['acct-04', 'acct-05', 'acct-10'],
      ['acct-11'],
    ]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
  });

  it('gives each stream its version', async () => {
    const [page] = await streamsPages({ prefix: 'acct-0', first: 100 });
    expect(page!.edges.map((edge) => edge.node)).toEqual(
      ['acct-01', 'acct-02', 'acct-03', 'acct-04', 'acct-05'].map((id) => ({ id, version: id.length % 3, exists: true })),
    );
  });

  it('without a prefix lists every stream in id order', async () => {
    const ids = (await streamsPages({ first: 4 })).flatMap((page) => page.edges.map((edge) => edge.node.id));
    const expected = ['acct', 'acct-01', 'acct-02', 'acct-03', 'acct-04', 'acct-05', 'acct-10', 'acct-11', 'acct.z', 'acct_x', 'big', 'exact', 'other', 'paged'];
    expect(ids).toEqual(expected);
  });

  it('a prefix that matches nothing is an empty last page', async () => {
    const [page] = await streamsPages({ prefix: 'zzz' });
    expect(page!.edges).toEqual([]);
    expect(page!.pageInfo.hasNextPage).toBe(false);
  });
});
