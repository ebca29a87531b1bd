import { beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_PAGE, STREAMS_PAGE, type EventView, type EventsPageData, type StreamsPageData } from '../support/queries.js';
import { appendSuccess, dataOf, newEvents, readAll } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();
let all: EventView[];

/** Streams whose ids hold LIKE's wildcards, beside ids those wildcards would match. */
const STREAMS: [string, string[]][] = [
  ['order-1', ['OrderPlaced', 'OrderShipped']],
  ['order-2', ['OrderPlaced', 'OrderCancelled']],
  ['orders-archive', ['OrderPlaced']],
  ['user-1', ['UserRegistered', 'OrderPlaced']],
  ['100%-done', ['Done']],
  ['100x-done', ['Done']],
  ['a_b', ['Under']],
  ['axb', ['Under']],
  ['a\\b', ['Backslash']],
];

beforeAll(async () => {
  // Two rounds so that every stream's events are spread over the log.
  for (let round = 0; round < 2; round++) {
    for (const [streamId, types] of STREAMS) {
      await appendSuccess(gw, { streamId, events: types.map((type) => ({ ...newEvents(1)[0]!, type })) });
    }
  }
  all = await readAll(gw);
});

async function filtered(filter: { eventTypes?: string[]; streamPrefix?: string }, first = 1000): Promise<EventView[]> {
  const events: EventView[] = [];
  let after: string | null = null;
  for (;;) {
    const page: EventsPageData = dataOf(await gw.gql<EventsPageData>(EVENTS_PAGE, { filter, first, after }));
    events.push(...page.events.edges.map((edge) => edge.node));
    if (!page.events.pageInfo.hasNextPage) return events;
    after = page.events.pageInfo.endCursor;
  }
}

describe('events(filter: { eventTypes })', () => {
  it('answers only events of those types, in position order', async () => {
    const result = await filtered({ eventTypes: ['OrderPlaced'] });
    expect(result).toEqual(all.filter((event) => event.type === 'OrderPlaced'));
    expect(result).toHaveLength(8);
  });

  it('with several types answers events of any of them', async () => {
    const types = ['OrderShipped', 'OrderCancelled', 'Done'];
    expect(await filtered({ eventTypes: types })).toEqual(all.filter((event) => types.includes(event.type)));
  });

  it('pages with `after` through the filtered log without losing or repeating an event', async () => {
    expect(await filtered({ eventTypes: ['OrderPlaced'] }, 3)).toEqual(all.filter((event) => event.type === 'OrderPlaced'));
  });

  it('an unknown type matches nothing', async () => {
    expect(await filtered({ eventTypes: ['NoSuchType'] })).toEqual([]);
  });
});

describe('events(filter: { streamPrefix })', () => {
  it('answers only events of streams whose id starts with the prefix', async () => {
    const result = await filtered({ streamPrefix: 'order-' });
    expect(result).toEqual(all.filter((event) => event.streamId.startsWith('order-')));
    expect(new Set(result.map((event) => event.streamId))).toEqual(new Set(['order-1', 'order-2']));
  });

  it('takes `%` literally', async () => {
    const result = await filtered({ streamPrefix: '100%' });
    expect(new Set(result.map((event) => event.streamId))).toEqual(new Set(['100%-done']));
    expect(await filtered({ streamPrefix: '%' })).toEqual([]);
  });

  it('takes `_` literally', async () => {
    const result = await filtered({ streamPrefix: 'a_' });
    expect(new Set(result.map((event) => event.streamId))).toEqual(new Set(['a_b']));
  });

  it('takes a backslash literally', async () => {
    const result = await filtered({ streamPrefix: 'a\\' });
    expect(new Set(result.map((event) => event.streamId))).toEqual(new Set(['a\\b']));
  });
});

describe('events(filter: { eventTypes, streamPrefix })', () => {
  it('answers events that match both', async () => {
    const result = await filtered({ eventTypes: ['OrderPlaced'], streamPrefix: 'order' });
    expect(result).toEqual(all.filter((event) => event.type === 'OrderPlaced' && event.streamId.startsWith('order')));
    expect(new Set(result.map((event) => event.streamId))).toEqual(new Set(['order-1', 'order-2', 'orders-archive']));
  });

  it('combined with fromPosition and BACKWARD, starts there and goes down', async () => {
    const expected = all.filter((event) => event.type === 'OrderPlaced' && event.streamId.startsWith('order-') && event.position <= 15).reverse();
    const page = dataOf(
      await gw.gql<EventsPageData>(EVENTS_PAGE, {
        filter: { eventTypes: ['OrderPlaced'], streamPrefix: 'order-' },
        fromPosition: 15,
        direction: 'BACKWARD',
      }),
    );
    expect(page.events.edges.map((edge) => edge.node)).toEqual(expected);
  });
});

describe('streams(prefix)', () => {
  async function ids(prefix: string): Promise<string[]> {
    const page = dataOf(await gw.gql<StreamsPageData>(STREAMS_PAGE, { prefix, first: 1000 }));
    return page.streams.edges.map((edge) => edge.node.id);
  }

  it('takes `%` and `_` literally', async () => {
    expect(await ids('100%')).toEqual(['100%-done']);
    expect(await ids('a_')).toEqual(['a_b']);
    expect(await ids('%')).toEqual([]);
    expect(await ids('_')).toEqual([]);
  });

  it('matches a prefix exactly, not as a pattern', async () => {
    expect(await ids('order')).toEqual(['order-1', 'order-2', 'orders-archive']);
    expect(await ids('order-')).toEqual(['order-1', 'order-2']);
  });
});

describe('filters past their bounds', () => {
  /** The one error a read with these arguments is refused with. */
  async function refusal(query: string, variables: Record<string, unknown>): Promise<unknown> {
    const answer = await gw.gql(query, variables);
    expect(answer.data?.events ?? answer.data?.streams ?? null).toBeNull();
    return answer.errors?.map((error) => [error.extensions?.code, error.extensions?.field, error.message.length < 200]);
  }

  it('refuses more than 100 event types, and a prefix longer than any stream id, naming the field', async () => {
    const types = Array.from({ length: 101 }, (_, index) => `Type${index}`);
    expect(await refusal(EVENTS_PAGE, { filter: { eventTypes: types }, first: 10, after: null })).toEqual([['BAD_USER_INPUT', 'filter.eventTypes', true]]);
    expect(await filtered({ eventTypes: types.slice(0, 100) })).toEqual([]);
    const prefix = 'p'.repeat(256);
    expect(await refusal(EVENTS_PAGE, { filter: { streamPrefix: prefix }, first: 10, after: null })).toEqual([['BAD_USER_INPUT', 'filter.streamPrefix', true]]);
    expect(await refusal(STREAMS_PAGE, { prefix, first: 10, after: null })).toEqual([['BAD_USER_INPUT', 'prefix', true]]);
  });

  it('refuses an unknown store of any length, quoting no more than 64 characters of it', async () => {
    const answer = await gw.gql(STREAMS_PAGE, { store: 's'.repeat(100_000), first: 10, after: null });
    expect(answer.errors).toEqual([expect.objectContaining({ message: `store "${'s'.repeat(64)}…" does not exist`, extensions: { code: 'STORE_NOT_FOUND', store: `${'s'.repeat(64)}…` } })]);
  });

  it('refuses a cursor longer than any the gateway makes without quoting it', async () => {
    expect(await refusal(STREAMS_PAGE, { first: 10, after: 'A'.repeat(100_000) })).toEqual([['BAD_USER_INPUT', 'after', true]]);
  });
});
