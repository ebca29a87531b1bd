import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpConnection, type HttpConnection } from '../support/http-connection.js';
import { STREAM_VERSION } from '../support/queries.js';
import { rawWs } from '../support/raw-ws.js';
import { dataOf, type GraphQLResponse, type TestGateway } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { askOverWs, connectWs, type WsConnection } from '../support/ws-client.js';

const ORIGIN = 'http://app.example';
const MIB = 1024 * 1024;
const gw = useGateway({ env: { GATER_CORS_ORIGINS: ORIGIN } });
/** A gateway whose request budget is small enough to spend with a few small appends. */
const small = useGateway({ env: { GATER_MAX_REQUEST_EVENTS: '50', GATER_MAX_REQUEST_EVENT_BYTES: '20000' } });

/** `count` aliases of appendEvents, every one given the same `$input`. */
const aliasedAppends = (count: number) =>
  `mutation Appends($input: AppendEventsInput!) { ${Array.from(
    { length: count },
    (_, index) => `a${index}: appendEvents(input: $input) { __typename ... on AppendEventsSuccess { version } }`,
  ).join(' ')} }`;

/** `count` events without ids (so that every alias writes them anew), each with `pad` bytes of data. */
const events = (count: number, pad = 10) => Array.from({ length: count }, (_, index) => ({ type: 'Budget', data: { index, pad: 'x'.repeat(pad) } }));

async function streamVersion(client: Pick<TestGateway, 'gql'>, streamId: string): Promise<number> {
  return dataOf(await client.gql<{ streamVersion: number }>(STREAM_VERSION, { streamId })).streamVersion;
}

function expectLimit(answer: GraphQLResponse<unknown>, limit: string): void {
  expect(answer.errors, JSON.stringify(answer).slice(0, 500)).toEqual([
    expect.objectContaining({ message: expect.stringContaining(limit), extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit }) }),
  ]);
  expect(answer.data ?? null).toBeNull();
}

let http: HttpConnection;
let ws: WsConnection;
beforeAll(async () => {
  http = httpConnection(gw.url);
  ws = await connectWs(gw);
});
afterAll(async () => {
  http?.close();
  await ws?.dispose();
});

/** The same connection answers a normal request after a refusal. */
async function expectHttpServes(connection: HttpConnection, socket: unknown, streamId: string, version: number): Promise<void> {
  const answer = await connection.gql<{ streamVersion: number }>(STREAM_VERSION, { streamId });
  expect(answer.socket).toBe(socket);
  expect(answer.body).toEqual({ data: { streamVersion: version } });
}

describe('events and bytes written per request', () => {
  it('refuses 100 aliases of appendEvents reusing one 1,000-event variable, and writes nothing (GATER_MAX_ALIASES)', async () => {
    const input = { streamId: 'aliases-attack', events: events(1000, 1000) };
    const answer = await http.gql(aliasedAppends(100), { input });
    expectLimit(answer.body, 'GATER_MAX_ALIASES');
    await expectHttpServes(http, answer.socket, 'aliases-attack', -1);
  });

  it('refuses 30 aliases of a 1,000-event variable before any of them writes (GATER_MAX_REQUEST_EVENTS)', async () => {
    const input = { streamId: 'events-budget', events: events(1000) };
    const answer = await http.gql(aliasedAppends(30), { input });
    expectLimit(answer.body, 'GATER_MAX_REQUEST_EVENTS');
    await expectHttpServes(http, answer.socket, 'events-budget', -1);

    expectLimit(await askOverWs(ws.client, aliasedAppends(30), { input }), 'GATER_MAX_REQUEST_EVENTS');
    expect(await askOverWs(ws.client, STREAM_VERSION, { streamId: 'events-budget' })).toEqual({ data: { streamVersion: -1 } });
    expect(ws.closes).toEqual([]);
  });

  it('writes appends that fill the budget exactly: 10 aliases of 1,000 events', async () => {
    const answer = await http.gql<Record<string, { version: number }>>(aliasedAppends(10), { input: { streamId: 'events-full', events: events(1000) } });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.a9).toEqual({ __typename: 'AppendEventsSuccess', version: 9999 });
    expect(await streamVersion(gw, 'events-full')).toBe(9999);
  });

  it('refuses appends carrying more than 16 MiB of event data before any of them writes (GATER_MAX_REQUEST_EVENT_BYTES)', async () => {
    // 9 aliases of 100 events of 20 kB: 18 MB of data from a 2 MB request.
    const answer = await http.gql(aliasedAppends(9), { input: { streamId: 'bytes-budget', events: events(100, 20_000) } });
    expectLimit(answer.body, 'GATER_MAX_REQUEST_EVENT_BYTES');
    await expectHttpServes(http, answer.socket, 'bytes-budget', -1);
  });

  it('charges a single append too: past the budget it is refused and writes nothing', async () => {
    expectLimit(await small.gql(aliasedAppends(1), { input: { streamId: 'one-append', events: events(51) } }), 'GATER_MAX_REQUEST_EVENTS');
    expectLimit(await small.gql(aliasedAppends(1), { input: { streamId: 'one-append', events: events(5, 5000) } }), 'GATER_MAX_REQUEST_EVENT_BYTES');
    expect(await streamVersion(small, 'one-append')).toBe(-1);
    // A budget is per request: the next one starts afresh.
    expect(dataOf(await small.gql(aliasedAppends(2), { input: { streamId: 'one-append', events: events(25) } }))).toEqual({
      a0: { __typename: 'AppendEventsSuccess', version: 24 },
      a1: { __typename: 'AppendEventsSuccess', version: 49 },
    });
  });

  it('counts appends spread through fragments, and the same response key once', async () => {
    const query = `mutation Spread($input: AppendEventsInput!) {
      ... on Mutation { a: appendEvents(input: $input) { __typename } }
      ...Twice
      b: appendEvents(input: $input) { __typename }
    }
    fragment Twice on Mutation { b: appendEvents(input: $input) { __typename } c: appendEvents(input: $input) { __typename } }`;
    expectLimit(await small.gql(query, { input: { streamId: 'spread', events: events(20) } }), 'GATER_MAX_REQUEST_EVENTS');
    expect(await streamVersion(small, 'spread')).toBe(-1);
    // a, b and c: 48 events, within the 50 of the budget.
    expect(dataOf(await small.gql(query, { input: { streamId: 'spread', events: events(16) } }))).toEqual({
      a: { __typename: 'AppendEventsSuccess' },
      b: { __typename: 'AppendEventsSuccess' },
      c: { __typename: 'AppendEventsSuccess' },
    });
  });
});

describe('the request body (GATER_MAX_BODY_BYTES, 16 MiB)', () => {
  /** An append of a little over 16 MiB: 17 events of 1 MiB less a little (each within GATER_MAX_EVENT_BYTES). */
  const oversized = JSON.stringify({
    query: aliasedAppends(1),
    variables: { input: { streamId: 'body-budget', events: Array.from({ length: 17 }, () => ({ type: 'Big', data: 'x'.repeat(MIB - 100) })) } },
  });

  // A query string takes a post off the fast path, which answers /graphql alone.
  it.each([
    ['the fast POST path, by Content-Length', '', false],
    ['yoga, by Content-Length', '?path=yoga', false],
    ['yoga, chunked, while reading it', '', true],
  ] as const)('answers 413 on %s, writes nothing, and the connection serves on', async (_path, query, chunked) => {
    expect(Buffer.byteLength(oversized)).toBeGreaterThan(16 * MIB);
    const connection = httpConnection(`${gw.url}${query}`);
    try {
      const answer = await connection.post(oversized, { chunked });
      expect(answer.status).toBe(413);
      expectLimit(answer.body, 'GATER_MAX_BODY_BYTES');
      await expectHttpServes(connection, answer.socket, 'body-budget', -1);
    } finally {
      connection.close();
    }
  });
});

describe('a WebSocket message (GATER_MAX_WS_MESSAGE_BYTES, 16 MiB)', () => {
  it('closes the socket that sends a larger one with 1009, writes nothing, and serves other sockets', async () => {
    const socket = await rawWs(gw.url);
    const input = { streamId: 'ws-budget', events: Array.from({ length: 17 }, () => ({ type: 'Big', data: 'x'.repeat(MIB - 100) })) };
    const answer = await socket.ask(JSON.stringify({ query: aliasedAppends(1), variables: { input } }));
    expect(answer.errors).toEqual([{ message: 'connection closed: 1009' }]);
    expect(socket.closes).toEqual([{ code: 1009, reason: expect.any(String) }]);
    expect(await askOverWs(ws.client, STREAM_VERSION, { streamId: 'ws-budget' })).toEqual({ data: { streamVersion: -1 } });
  });
});
