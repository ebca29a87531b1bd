import { afterAll, describe, expect, it } from 'vitest';
import { EVENTS_PAGE, type EventsPageData } from '../support/queries.js';
import { appendSuccess, dataOf, newEvents, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const WRITERS = 8;
const EVENTS_PER_WRITER = 250;
const TOTAL = WRITERS * EVENTS_PER_WRITER;

const started: TestGateway[] = [];
afterAll(async () => {
  for (const gateway of [...started].reverse()) await gateway.stop({ keepDatabase: true });
  // Each test's first gateway made a database; a gateway started on another's made none, and drops nothing.
  for (const gateway of started) await gateway.dropDatabase();
});

/**
 * One writer: appends of 1 to 5 events until it has written its share,
 * alternating between a stream of its own and streams every writer shares.
 * Answers the ids it was told are stored.
 */
async function writer(gateway: TestGateway, index: number): Promise<string[]> {
  const acknowledged: string[] = [];
  let written = 0;
  for (let round = 0; written < EVENTS_PER_WRITER; round++) {
    const size = Math.min(1 + ((round + index) % 5), EVENTS_PER_WRITER - written);
    const streamId = round % 2 === 0 ? `writer-${index}` : `shared-${round % 3}`;
    const result = await appendSuccess(gateway, { streamId, events: newEvents(size, `Written${index}`) });
    acknowledged.push(...result.events.map((event) => event.id));
    written += size;
  }
  return acknowledged;
}

interface Seen {
  positions: number[];
  ids: string[];
}

/**
 * A subscriber-style reader: polls the global log from the position after the
 * last one it saw, as a catch-up subscription does, until the writers are done
 * and a read finds nothing more.
 */
async function reader(gateway: TestGateway, writersDone: () => boolean): Promise<Seen> {
  const seen: Seen = { positions: [], ids: [] };
  let last = 0;
  for (;;) {
    const doneBeforeRead = writersDone();
    const page = dataOf(await gateway.gql<EventsPageData>(EVENTS_PAGE, { fromPosition: last + 1, first: 500 })).events;
    for (const { node } of page.edges) {
      seen.positions.push(node.position);
      seen.ids.push(node.id);
      last = node.position;
    }
    if (doneBeforeRead && page.edges.length === 0) return seen;
  }
}

async function writeWhileReading(writeTo: TestGateway[], readFrom: TestGateway): Promise<{ seen: Seen; acknowledged: string[] }> {
  let done = false;
  const reading = reader(readFrom, () => done);
  const writing = Promise.all(Array.from({ length: WRITERS }, (_, index) => writer(writeTo[index % writeTo.length]!, index)));
  const acknowledged = (await writing.finally(() => (done = true))).flat();
  return { seen: await reading, acknowledged };
}

function expectEveryPositionOnceInOrder({ seen, acknowledged }: { seen: Seen; acknowledged: string[] }): void {
  expect(acknowledged).toHaveLength(TOTAL);
  expect(new Set(acknowledged).size).toBe(TOTAL);
  // 1..TOTAL, each exactly once, strictly increasing: no gap, no duplicate, no reordering.
  expect(seen.positions).toEqual(Array.from({ length: TOTAL }, (_, index) => index + 1));
  expect(new Set(seen.ids)).toEqual(new Set(acknowledged));
}

describe('a reader polling the global log while 8 writers append 2,000 events', () => {
  it('sees every position exactly once, in strictly increasing order, and every acknowledged event', async () => {
    const gateway = await startTestGateway();
    started.push(gateway);
    expectEveryPositionOnceInOrder(await writeWhileReading([gateway], gateway));
  });

  it('does so too when the writers go through two gateways on the same database', async () => {
    const first = await startTestGateway();
    const second = await startTestGateway({ databaseUrl: first.databaseUrl });
    started.push(first, second);
    expectEveryPositionOnceInOrder(await writeWhileReading([first, second], second));
  });
});
