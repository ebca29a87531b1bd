import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpConnection, type HttpConnection, type PostOptions } from '../support/http-connection.js';
import { STORES } from '../support/queries.js';
import { appendSuccess, newEvents, type GraphQLResponse } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { askOverWs, connectWs, type WsConnection } from '../support/ws-client.js';

/** A page of another origin allowed by CORS: its requests go through yoga rather than the fast POST path. */
const ORIGIN = 'http://app.example';
// Thirty aliased reads open the read pool's twenty connections at once, which on a loaded machine can take
// longer than the 1 s a new connection gets by default; this file is about budgets, not slow nodes.
const gw = useGateway({ env: { GATER_CORS_ORIGINS: ORIGIN, GATER_PROBE_TIMEOUT_MS: '10000' } });

type Answer = GraphQLResponse<Record<string, unknown>>;

/** How a client reaches the gateway, and what it checks after a refusal: the same connection still answers. */
interface Transport {
  ask(query: string, variables?: Record<string, unknown>): Promise<Answer>;
  expectStillServing(): Promise<void>;
}

function overHttp(connection: () => HttpConnection, sent: PostOptions): Transport {
  let lastSocket: unknown;
  return {
    async ask(query, variables) {
      const answer = await connection().gql(query, variables, sent);
      // A refusal too must be readable by the page of an allowed origin that asked.
      expect(answer.headers['access-control-allow-origin']).toBe(sent.headers?.origin);
      lastSocket = answer.socket;
      return answer.body;
    },
    async expectStillServing() {
      const answer = await connection().gql(STORES, undefined, sent);
      expect(answer.socket).toBe(lastSocket);
      expect(answer.body).toEqual({ data: { stores: [expect.objectContaining({ id: 'default' })] } });
    },
  };
}

let fast: HttpConnection;
let viaYoga: HttpConnection;
let ws: WsConnection;
const transports: Record<string, Transport> = {
  'the fast POST path, from a service': overHttp(() => fast, {}),
  "yoga (a body sent in chunks), from an allowed origin's page": overHttp(() => viaYoga, { chunked: true, headers: { origin: ORIGIN } }),
  'graphql-ws': {
    ask: (query, variables) => askOverWs(ws.client, query, variables),
    async expectStillServing() {
      expect(await askOverWs(ws.client, STORES)).toEqual({ data: { stores: [expect.objectContaining({ id: 'default' })] } });
      expect(ws.closes).toEqual([]);
    },
  },
};

const PAGE = 'edges { node { id type data } }';
/** `count` aliased reads of the global log, `first` events each (`$first` for a variable). */
const aliasedReads = (count: number, first: number | string) =>
  `query Reads${typeof first === 'string' ? `(${first}: Int)` : ''} { ${Array.from({ length: count }, (_, index) => `a${index}: events(first: ${first}) { ${PAGE} }`).join(' ')} }`;
/** The same field, with no alias, and subselections that validation compares pairwise with each repeat's. */
const REPEATED = 'stream(id: "x") { events(first: 1) { edges { node { id type } } } }';
/** An introspection query `depth` fields deep. */
const deepQuery = (depth: number) => `{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(depth - 4)}name${' }'.repeat(depth - 4)} } } } }`;

let reads: { readAll: ReturnType<typeof vi.spyOn>; readStream: ReturnType<typeof vi.spyOn> };
beforeAll(async () => {
  // A thousand events of some size: an operation that read them a few hundred times would answer hundreds of megabytes.
  await appendSuccess(gw, { streamId: 'big-1', events: newEvents(1000, 'Big', (index) => ({ index, pad: 'x'.repeat(200) })) });
  fast = httpConnection(gw.url);
  viaYoga = httpConnection(gw.url);
  ws = await connectWs(gw);
  const log = gw.gateway.stores.find('default')!.log;
  reads = { readAll: vi.spyOn(log, 'readAll'), readStream: vi.spyOn(log, 'readStream') };
});
afterEach(() => {
  reads.readAll.mockClear();
  reads.readStream.mockClear();
});
afterAll(async () => {
  vi.restoreAllMocks();
  fast?.close();
  viaYoga?.close();
  await ws?.dispose();
});

function expectLimit(answer: Answer, limit: string): void {
  expect(answer.data ?? undefined, JSON.stringify(answer).slice(0, 500)).toBeUndefined();
  expect(answer.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit }) })]);
  expect(answer.errors![0]!.message).toContain(limit);
}

describe.each(Object.keys(transports))('over %s', (name) => {
  const transport = transports[name]!;

  it('refuses 300 aliases of events(first: 1000) before reading anything, with a small answer', async () => {
    const answer = await transport.ask(aliasedReads(300, 1000));
    expectLimit(answer, 'GATER_MAX_ALIASES');
    expect(answer.errors![0]!.message).toContain('300');
    expect(JSON.stringify(answer).length).toBeLessThan(1000);
    expect(reads.readAll).not.toHaveBeenCalled();
    await transport.expectStillServing();
  });

  it('answers 30 aliases and refuses 31 (GATER_MAX_ALIASES)', async () => {
    const within = await transport.ask(aliasedReads(30, 1));
    expect(within.errors).toBeUndefined();
    expect(Object.keys(within.data!)).toHaveLength(30);
    reads.readAll.mockClear();
    expectLimit(await transport.ask(aliasedReads(31, 1)), 'GATER_MAX_ALIASES');
    expect(reads.readAll).not.toHaveBeenCalled();
    await transport.expectStillServing();
  });

  it('answers one field selected 50 times in a selection set, inline fragments included, and refuses 51 before validating (GATER_MAX_FIELD_REPEATS)', async () => {
    const repeated = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => (index % 2 ? `... on Query { ${REPEATED} }` : REPEATED)).join(' ')} }`;
    const within = await transport.ask(repeated(50));
    expect(within.errors).toBeUndefined();
    const refused = await transport.ask(repeated(51));
    expectLimit(refused, 'GATER_MAX_FIELD_REPEATS');
    expect(refused.errors![0]!.message).toContain('51');
    // Without a bound, 200 of them cost validation some 130-180 ms of CPU; refused, they cost no more than 51.
    expectLimit(await transport.ask(repeated(200)), 'GATER_MAX_FIELD_REPEATS');
    await transport.expectStillServing();
  });

  it('answers an operation 15 fields deep and refuses one 16 deep (GATER_MAX_DEPTH)', async () => {
    const within = await transport.ask(deepQuery(15));
    expect(within.errors).toBeUndefined();
    expect(within.data).toMatchObject({ __type: { fields: expect.any(Array) } });
    expectLimit(await transport.ask(deepQuery(16)), 'GATER_MAX_DEPTH');
    await transport.expectStillServing();
  });

  it('refuses a document of more than 10,000 tokens while parsing it (GATER_MAX_TOKENS)', async () => {
    expectLimit(await transport.ask(`{ stores { ${'id '.repeat(10_000)} } }`), 'GATER_MAX_TOKENS');
    await transport.expectStillServing();
  });

  it('answers connections asking for 10,000 items and refuses 11,000, with first literal or from a variable (GATER_MAX_PAGE_ITEMS)', async () => {
    const within = await transport.ask(aliasedReads(10, 1000));
    expect(within.errors).toBeUndefined();
    expect((within.data!.a9 as { edges: unknown[] }).edges).toHaveLength(1000);
    reads.readAll.mockClear();
    for (const [query, variables] of [
      [aliasedReads(11, 1000), undefined],
      [aliasedReads(11, '$first'), { first: 1000 }],
      // Without first, a connection asks for its default page of 100.
      [aliasedReads(11, 1000).replace('a10: events(first: 1000)', 'a10: events'), undefined],
    ] as const) {
      const answer = await transport.ask(query, variables);
      expectLimit(answer, 'GATER_MAX_PAGE_ITEMS');
      expect(answer.errors![0]!.message).toMatch(/asks for 1[01],?[01]00/);
    }
    expect(reads.readAll).not.toHaveBeenCalled();
    await transport.expectStillServing();
  });

  it('counts a connection nested in another once for each item of the outer one (GATER_MAX_PAGE_ITEMS)', async () => {
    const nested = (streams: number, events: number) =>
      `{ streams(first: ${streams}) { edges { node { id events(first: ${events}) { edges { node { id } } } } } } }`;
    const within = await transport.ask(nested(10, 100));
    expect(within.errors).toBeUndefined();
    reads.readStream.mockClear();
    expectLimit(await transport.ask(nested(1000, 1000)), 'GATER_MAX_PAGE_ITEMS');
    expect(reads.readStream).not.toHaveBeenCalled();
    await transport.expectStillServing();
  });
});
