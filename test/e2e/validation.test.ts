import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APPEND,
  EVENT_BY_ID,
  EVENTS_PAGE,
  STREAM_PAGE,
  STREAM_VERSION,
  STREAMS_PAGE,
  type AppendInput,
  type NewEventInput,
  type StreamPageData,
} from '../support/queries.js';
import { streamVersionKind } from '../../src/resolvers/cursors.js';
import { appendSuccess, newEvents, readAll, storeView, type GraphQLResponse } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const MAX_EVENT_BYTES = 1024;
const MAX_APPEND_EVENTS = 5;

const gw = useGateway({
  env: { GATER_MAX_EVENT_BYTES: String(MAX_EVENT_BYTES), GATER_MAX_APPEND_EVENTS: String(MAX_APPEND_EVENTS) },
});
beforeAll(async () => {
  // Something in the store, so that "nothing written" is checked against a non-empty log.
  await appendSuccess(gw, { streamId: 'existing', events: newEvents(2) });
});

function expectBadUserInput(response: GraphQLResponse<unknown>, field: string): void {
  expect(response.errors, JSON.stringify(response)).toHaveLength(1);
  const error = response.errors![0]!;
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  expect(error.extensions?.field).toBe(field);
  expect(error.message).toContain(field);
  // No answer: data is null, or (for a nullable root field) the field is.
  expect(Object.values(response.data ?? {}).filter((value) => value !== null)).toEqual([]);
}

/** A JSON value whose serialised form is exactly `bytes` long. */
function jsonOfSize(bytes: number): { pad: string } {
  const overhead = JSON.stringify({ pad: '' }).length;
  return { pad: 'x'.repeat(bytes - overhead) };
}

const one = (event: Partial<NewEventInput> = {}): NewEventInput => ({ ...newEvents(1)[0]!, ...event });

describe('appendEvents rejects, as BAD_USER_INPUT naming the field, and writes nothing', () => {
  const cases: [string, string, () => AppendInput][] = [
    ['an empty stream id', 'input.streamId', () => ({ streamId: '', events: [one()] })],
    ['a stream id of 256 characters', 'input.streamId', () => ({ streamId: 's'.repeat(256), events: [one()] })],
    ['a stream id beginning with $', 'input.streamId', () => ({ streamId: '$all', events: [one()] })],
    ['an empty event type', 'input.events[0].type', () => ({ streamId: 'v', events: [one({ type: '' })] })],
    ['an event type of 256 characters', 'input.events[1].type', () => ({ streamId: 'v', events: [one(), one({ type: 't'.repeat(256) })] })],
    ['an event id that is not a UUID', 'input.events[0].id', () => ({ streamId: 'v', events: [one({ id: 'event-1' })] })],
    ['an event id that is almost a UUID', 'input.events[1].id', () => ({ streamId: 'v', events: [one(), one({ id: `${randomUUID()}0` })] })],
    ['expectedVersion -2', 'input.expectedVersion', () => ({ streamId: 'v', expectedVersion: -2, events: [one()] })],
    ['expectedVersion and expectedState together', 'input.expectedVersion', () => ({ streamId: 'v', expectedVersion: 0, expectedState: 'ANY', events: [one()] })],
    ['data over the size limit', 'input.events[0].data', () => ({ streamId: 'v', events: [one({ data: jsonOfSize(MAX_EVENT_BYTES + 1) })] })],
    ['metadata over the size limit', 'input.events[2].metadata', () => ({ streamId: 'v', events: [one(), one(), one({ metadata: jsonOfSize(MAX_EVENT_BYTES + 1) })] })],
    ['more events than one append may hold', 'input.events', () => ({ streamId: 'v', events: newEvents(MAX_APPEND_EVENTS + 1) })],
    ['no events at all', 'input.events', () => ({ streamId: 'v', events: [] })],
    ['an empty content type', 'input.events[0].contentType', () => ({ streamId: 'v', events: [one({ contentType: '' })] })],
    ['a stream id holding a line break', 'input.streamId', () => ({ streamId: 'order-1\norder-2', events: [one()] })],
    // Shown as "order-1-fer" wherever it is read, a different stream from the one it looks like.
    ['a stream id holding a right-to-left override', 'input.streamId', () => ({ streamId: 'order-1-\u202Erefer', events: [one()] })],
    ['an event type holding an escape character', 'input.events[0].type', () => ({ streamId: 'v', events: [one({ type: 'Paid\u001b[31m' })] })],
  ];

  it.each(cases)('%s (%s)', async (_what, field, input) => {
    const request = input();
    const before = { store: await storeView(gw), log: await readAll(gw) };
    expectBadUserInput(await gw.gql(APPEND, { input: request }), field);
    expect(await storeView(gw)).toEqual(before.store);
    expect(await readAll(gw)).toEqual(before.log);
  });
});

describe('appendEvents accepts values right at the limits', () => {
  it('a stream id and an event type of 255 characters', async () => {
    const result = await appendSuccess(gw, { streamId: 's'.repeat(255), events: [one({ type: 't'.repeat(255) })] });
    expect(result.streamId).toHaveLength(255);
    expect(result.events[0]!.type).toHaveLength(255);
  });

  it('data and metadata of exactly the size limit', async () => {
    const data = jsonOfSize(MAX_EVENT_BYTES);
    const result = await appendSuccess(gw, { streamId: 'at-limit', events: [one({ data, metadata: data })] });
    expect(result.events[0]!.data).toEqual(data);
  });

  it('as many events as one append may hold', async () => {
    const result = await appendSuccess(gw, { streamId: 'full-append', events: newEvents(MAX_APPEND_EVENTS) });
    expect(result.version).toBe(MAX_APPEND_EVENTS - 1);
  });

  it('an event id in capitals, stored as lower case', async () => {
    const id = randomUUID();
    const result = await appendSuccess(gw, { streamId: 'caps', events: [one({ id: id.toUpperCase() })] });
    expect(result.events[0]!.id).toBe(id);
  });
});

describe('reads reject, as BAD_USER_INPUT naming the argument', () => {
  const cases: [string, string, string, Record<string, unknown>][] = [
    ['events(first: 0)', 'first', EVENTS_PAGE, { first: 0 }],
    ['events(first: 1001)', 'first', EVENTS_PAGE, { first: 1001 }],
    ['events(fromPosition: -1)', 'fromPosition', EVENTS_PAGE, { fromPosition: -1 }],
    ['stream.events(first: 0)', 'first', STREAM_PAGE, { id: 'existing', first: 0 }],
    ['stream.events(first: 1001)', 'first', STREAM_PAGE, { id: 'existing', first: 1001 }],
    ['stream.events(fromVersion: -1)', 'fromVersion', STREAM_PAGE, { id: 'existing', fromVersion: -1 }],
    ['streams(first: 0)', 'first', STREAMS_PAGE, { first: 0 }],
    ['streams(first: 1001)', 'first', STREAMS_PAGE, { first: 1001 }],
    ['stream(id: "")', 'id', STREAM_PAGE, { id: '' }],
    ['stream(id: "$all")', 'id', STREAM_PAGE, { id: '$all' }],
    ['stream(id) of 256 characters', 'id', STREAM_PAGE, { id: 's'.repeat(256) }],
    ['streamVersion(streamId: "")', 'streamId', STREAM_VERSION, { streamId: '' }],
    ['event(id) that is not a UUID', 'id', EVENT_BY_ID, { id: 'nope' }],
    ['events(after) that is not a cursor', 'after', EVENTS_PAGE, { after: 'garbage' }],
    ['events(filter: { eventTypes: [""] })', 'filter.eventTypes[0]', EVENTS_PAGE, { filter: { eventTypes: [''] } }],
  ];

  it.each(cases)('%s', async (_what, field, query, variables) => {
    expectBadUserInput(await gw.gql(query, variables), field);
  });

  it("stream.events(after) with another stream's cursor, or another store's of the same id: not a page of this stream from the other's version", async () => {
    await appendSuccess(gw, { streamId: 'cursor-a', events: newEvents(2) });
    await appendSuccess(gw, { streamId: 'cursor-b', events: newEvents(4) });
    const first = await gw.gql<StreamPageData>(STREAM_PAGE, { id: 'cursor-a', first: 1 });
    const endCursor = first.data!.stream.events.pageInfo.endCursor!;
    expectBadUserInput(await gw.gql(STREAM_PAGE, { id: 'cursor-b', after: endCursor }), 'after');
    const forged = Buffer.from(`${streamVersionKind('other', 'cursor-a')}:0`).toString('base64url');
    expectBadUserInput(await gw.gql(STREAM_PAGE, { id: 'cursor-a', after: forged }), 'after');
    const next = await gw.gql<StreamPageData>(STREAM_PAGE, { id: 'cursor-a', after: endCursor });
    expect(next.data!.stream.events.edges).toHaveLength(1);
  });

  it('first: 1 and first: 1000 are accepted', async () => {
    for (const first of [1, 1000]) {
      const response = await gw.gql(EVENTS_PAGE, { first });
      expect(response.errors).toBeUndefined();
    }
  });
});

/** Like expectBadUserInput, but records every mismatch instead of stopping at the first. */
function softExpectBadUserInput(label: string, response: GraphQLResponse<unknown>, field: string): void {
  const error = response.errors?.[0];
  expect.soft({ label, code: error?.extensions?.code, field: error?.extensions?.field }).toEqual({ label, code: 'BAD_USER_INPUT', field });
}

/**
 * PostgreSQL stores no U+0000 in text or jsonb. The gateway passes such
 * strings through to the database, which refuses them, so the client gets a
 * masked INTERNAL_SERVER_ERROR (and the operator a logged "bug") for what is
 * plainly invalid input. These tests state the behaviour the contract asks
 * for: BAD_USER_INPUT with the field named. (The append is atomic already:
 * nothing is written.)
 */
describe('a string holding U+0000, which PostgreSQL cannot store', () => {
  it('is BAD_USER_INPUT naming the field for appendEvents, and nothing is written', async () => {
    const cases: [string, AppendInput][] = [
      ['input.streamId', { streamId: 'a\u0000b', events: [one()] }],
      ['input.events[0].type', { streamId: 'nul', events: [one({ type: 'T\u0000' })] }],
      ['input.events[0].data', { streamId: 'nul', events: [one({ data: { text: 'a\u0000b' } })] }],
      ['input.events[1].metadata', { streamId: 'nul', events: [one(), one({ metadata: { 'k\u0000': 1 } })] }],
      ['input.events[0].contentType', { streamId: 'nul', events: [one({ contentType: 'text/\u0000' })] }],
    ];
    const before = await storeView(gw);
    for (const [field, input] of cases) softExpectBadUserInput(field, await gw.gql(APPEND, { input }), field);
    expect(await storeView(gw)).toEqual(before);
  });

  it('is BAD_USER_INPUT naming the argument for reads', async () => {
    softExpectBadUserInput('stream(id)', await gw.gql(STREAM_PAGE, { id: 'a\u0000b' }), 'id');
    softExpectBadUserInput('streamVersion(streamId)', await gw.gql(STREAM_VERSION, { streamId: 'a\u0000b' }), 'streamId');
    softExpectBadUserInput('streams(prefix)', await gw.gql(STREAMS_PAGE, { prefix: 'a\u0000' }), 'prefix');
    softExpectBadUserInput(
      'events(filter.eventTypes)',
      await gw.gql(EVENTS_PAGE, { filter: { eventTypes: ['T\u0000'] } }),
      'filter.eventTypes[0]',
    );
    softExpectBadUserInput(
      'events(filter.streamPrefix)',
      await gw.gql(EVENTS_PAGE, { filter: { streamPrefix: 'a\u0000' } }),
      'filter.streamPrefix',
    );
  });
});

/**
 * A lone UTF-16 surrogate (say "\uD800", legal in a JSON string escape but
 * not Unicode text) is not text PostgreSQL can hold either. In data or
 * metadata PostgreSQL refuses the jsonb, so the client gets a masked
 * INTERNAL_SERVER_ERROR. Worse, in a stream id the driver silently encodes
 * it as U+FFFD: the append succeeds and answers streamId "x\uD800", but the
 * events are stored under "x\uFFFD", and reading stream "x\uD800" finds
 * nothing. The contract asks for BAD_USER_INPUT naming the field.
 */
describe('a string holding a lone UTF-16 surrogate, which is not Unicode text', () => {
  it('is BAD_USER_INPUT naming the field for appendEvents, and nothing is written', async () => {
    const cases: [string, AppendInput][] = [
      ['input.streamId', { streamId: 'lone-\uD800', events: [one()] }],
      ['input.events[0].type', { streamId: 'lone', events: [one({ type: 'T\uDC00' })] }],
      ['input.events[0].data', { streamId: 'lone', events: [one({ data: { text: 'a\uD800b' } })] }],
      ['input.events[1].metadata', { streamId: 'lone', events: [one(), one({ metadata: { '\uDC00': 1 } })] }],
    ];
    const before = await storeView(gw);
    for (const [field, input] of cases) softExpectBadUserInput(field, await gw.gql(APPEND, { input }), field);
    expect(await storeView(gw)).toEqual(before);
  });

  it('is BAD_USER_INPUT naming the argument for stream(id)', async () => {
    softExpectBadUserInput('stream(id)', await gw.gql(STREAM_PAGE, { id: 'lone-\uD800' }), 'id');
  });
});

/**
 * Cursors are opaque, but a client can still send a forged or corrupted one.
 * One whose number is out of range must not reach PostgreSQL as an integer
 * overflow (a masked INTERNAL_SERVER_ERROR): it is BAD_USER_INPUT naming `after`.
 */
describe('a cursor whose number is out of range', () => {
  it('is BAD_USER_INPUT naming `after`', async () => {
    const position = Buffer.from('position:99999999999999999999').toString('base64url');
    expectBadUserInput(await gw.gql(EVENTS_PAGE, { after: position }), 'after');
    const version = Buffer.from(`${streamVersionKind('default', 'existing')}:2147483648`).toString('base64url');
    expectBadUserInput(await gw.gql(STREAM_PAGE, { id: 'existing', after: version }), 'after');
  });

  it('but the cursor of the largest possible version is the end of the stream: an empty last page', async () => {
    const after = Buffer.from(`${streamVersionKind('default', 'existing')}:2147483647`).toString('base64url');
    const response = await gw.gql<StreamPageData>(STREAM_PAGE, { id: 'existing', after });
    expect(response.errors).toBeUndefined();
    expect(response.data?.stream.events).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
