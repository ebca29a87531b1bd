import { beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PAGE, STREAM_PAGE, type ConnectionView, type EventView, type EventsPageData, type StreamPageData } from '../support/queries.js';
import { appendSuccess, dataOf, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * Every page size, from one event a page to more than there are, in both
 * directions: each page boundary falls once on every event, so an off-by-one
 * at either end of a stream or of the log shows as a lost, repeated or extra
 * event, or a wrong hasNextPage.
 */
const gw = useGateway();

/** Stream `paged` gets its events in appends of these sizes, each followed by one event of `other`. */
const PAGED_APPENDS = [2, 1, 3, 1];
const STREAM_LENGTH = PAGED_APPENDS.reduce((sum, size) => sum + size, 0);
const LOG_LENGTH = STREAM_LENGTH + PAGED_APPENDS.length;

beforeAll(async () => {
  for (const size of PAGED_APPENDS) {
    await appendSuccess(gw, { streamId: 'paged', events: newEvents(size, 'Paged') });
    await appendSuccess(gw, { streamId: 'other', events: newEvents(1, 'Other') });
  }
});

type Direction = 'FORWARD' | 'BACKWARD';

interface Page {
  keys: number[];
  hasNextPage: boolean;
}

/** Follows `after` from the first page; stops past any number of pages a correct answer could need. */
async function pagesOf(
  read: (after: string | null) => Promise<ConnectionView<EventView>>,
  key: (event: EventView) => number,
  total: number,
): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  while (pages.length <= total + 1) {
    const page: ConnectionView<EventView> = await read(after);
    pages.push({ keys: page.edges.map((edge) => key(edge.node)), hasNextPage: page.pageInfo.hasNextPage });
    if (!page.pageInfo.hasNextPage) break;
    expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor);
    after = page.pageInfo.endCursor;
  }
  return pages;
}

/** The pages a correct answer gives: `keys` cut into pages of `size`, hasNextPage true on all but the last. */
function expectedPages(keys: number[], size: number): Page[] {
  const pages: Page[] = [];
  for (let start = 0; start < keys.length; start += size) {
    pages.push({ keys: keys.slice(start, start + size), hasNextPage: start + size < keys.length });
  }
  return pages;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const inOrder = (keys: number[], direction: Direction) => (direction === 'FORWARD' ? keys : [...keys].reverse());
const pageSizes = (total: number) => range(1, total + 1);

describe.each<Direction>(['FORWARD', 'BACKWARD'])('paging %s with every page size', (direction) => {
  it.each(pageSizes(STREAM_LENGTH))(`a stream of ${STREAM_LENGTH} events, %i a page: every version once, in order`, async (size) => {
    const read = async (after: string | null) =>
      dataOf(await gw.gql<StreamPageData>(STREAM_PAGE, { id: 'paged', direction, first: size, after })).stream.events;
    const pages = await pagesOf(read, (event) => event.version, STREAM_LENGTH);
    expect(pages).toEqual(expectedPages(inOrder(range(0, STREAM_LENGTH - 1), direction), size));
  });

  it.each(pageSizes(LOG_LENGTH))(`the global log of ${LOG_LENGTH} events, %i a page: every position once, in order`, async (size) => {
    const read = async (after: string | null) => dataOf(await gw.gql<EventsPageData>(EVENTS_PAGE, { direction, first: size, after })).events;
    const pages = await pagesOf(read, (event) => event.position, LOG_LENGTH);
    expect(pages).toEqual(expectedPages(inOrder(range(1, LOG_LENGTH), direction), size));
  });
});
