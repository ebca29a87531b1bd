import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpConnection, type HttpConnection } from '../support/http-connection.js';
import { SAVE_SUBSCRIPTION } from '../support/persistent.js';
import { APPEND, BY_EVENT_PATTERN, BY_EVENT_PAYLOAD, RECORD_SNAPSHOT, STREAM_VERSION, type EventView } from '../support/queries.js';
import { rawWs, type RawWs } from '../support/raw-ws.js';
import { appendSuccess, dataOf, newEvents, readStream, type GraphQLResponse } from '../support/test-gateway.js';
import { useLiveGateway } from '../support/ws-client.js';

const live = useLiveGateway();
const { gw } = live;

/**
 * JSON text of arrays in arrays (`[[[]]]` is 3 deep) or objects in objects,
 * written out as text: a client's own JSON.stringify overflows its stack on
 * the deepest ones.
 */
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

/** A GraphQL request as JSON text, its variables given as JSON text. */
const request = (query: string, variablesJson: string) => `{"query":${JSON.stringify(query)},"variables":${variablesJson}}`;

let http: HttpConnection;
let ws: RawWs;
beforeAll(async () => {
  http = httpConnection(gw.url);
  ws = await rawWs(gw.url);
});
afterAll(() => {
  http?.close();
  ws?.close();
});

function expectTooDeep(response: GraphQLResponse<unknown>, field: string): void {
  expect(response.errors, JSON.stringify(response).slice(0, 500)).toEqual([
    expect.objectContaining({
      message: expect.stringContaining('64 levels (GATER_MAX_JSON_DEPTH)'),
      extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_JSON_DEPTH', maximum: 64, field }),
    }),
  ]);
}

async function streamVersion(streamId: string): Promise<number> {
  return dataOf(await gw.gql<{ streamVersion: number }>(STREAM_VERSION, { streamId })).streamVersion;
}

describe('JSON nesting depth (GATER_MAX_JSON_DEPTH, 64)', () => {
  it('stores data and metadata nested 64 deep as they were given', async () => {
    const events = [{ type: 'Deep', data: JSON.parse(deepArray(64)) as unknown, metadata: { m: JSON.parse(deepArray(63)) as unknown } }];
    await appendSuccess(gw, { streamId: 'deep-64', events });
    const [stored] = await readStream(gw, 'deep-64');
    expect(stored).toMatchObject(events[0]!);
  });

  // 3,000 levels overflowed the matchers' recursion; 100,000 overflow JSON.stringify's.
  it.each([65, 3_000, 100_000])('refuses an append whose data or metadata nests %i deep, naming the field; nothing is written and the connection serves on', async (depth) => {
    const streamId = `deep-${depth}`;
    const data = await http.post(request(APPEND, `{"input":{"streamId":"${streamId}","events":[{"type":"Deep","data":${deepArray(depth)}}]}}`));
    expectTooDeep(data.body, 'input.events[0].data');
    const metadata = await http.post(
      request(APPEND, `{"input":{"streamId":"${streamId}","events":[{"type":"Shallow"},{"type":"Deep","metadata":{"m":${deepArray(depth)}}}]}}`),
    );
    expectTooDeep(metadata.body, 'input.events[1].metadata');
    const version = await http.gql<{ streamVersion: number }>(STREAM_VERSION, { streamId });
    expect(version.socket).toBe(data.socket);
    expect(version.body).toEqual({ data: { streamVersion: -1 } });
  });

  it('refuses a number too large for JSON in data or a literal, and stores nothing', async () => {
    const streamId = 'json-infinite';
    const inVariables = await http.post(request(APPEND, `{"input":{"streamId":"${streamId}","events":[{"type":"Big","data":{"n":1e400}}]}}`));
    expect(inVariables.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.events[0].data' }) })]);
    const literal = `mutation { appendEvents(input: { streamId: "${streamId}", events: [{ type: "Big", data: { n: -1e400 } }] }) { __typename } }`;
    const inLiteral = await http.post(JSON.stringify({ query: literal }));
    expect(inLiteral.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.events[0].data' }) })]);
    expect(await readStream(gw, streamId)).toEqual([]);
  });

  it('refuses a snapshot whose data or metadata nests too deep', async () => {
    const input = '"sourceUuid":"s-1","streamUuid":"s-1","version":0';
    expectTooDeep((await http.post(request(RECORD_SNAPSHOT, `{"input":{${input},"data":${deepArray(100_000)}}}`))).body, 'input.data');
    expectTooDeep((await http.post(request(RECORD_SNAPSHOT, `{"input":{${input},"data":{},"metadata":${deepArray(3_000)}}}`))).body, 'input.metadata');
    expect(await gw.gql('{ snapshot(sourceUuid: "s-1", streamUuid: "s-1") { version } }')).toEqual({ data: { snapshot: null } });
  });

  it('refuses a persistent subscription whose pattern nests too deep, and saves nothing', async () => {
    const answer = await http.post(request(SAVE_SUBSCRIPTION, `{"input":{"name":"deep","type":"BY_EVENT_PATTERN","pattern":${deepObject(100_000)}}}`));
    expectTooDeep(answer.body, 'input.pattern');
    expect(await gw.gql('{ persistentSubscriptions { name } }')).toEqual({ data: { persistentSubscriptions: [] } });
  });

  it.each([
    ['pattern', 3_000, BY_EVENT_PATTERN],
    ['payload', 3_000, BY_EVENT_PAYLOAD],
    ['pattern', 100_000, BY_EVENT_PATTERN],
  ] as const)('fails a live subscription whose %s nests %i deep; the socket carries on', async (argument, depth, query) => {
    expectTooDeep(await ws.ask(request(query, `{"${argument}":${deepObject(depth)}}`)), argument);
    expect(ws.closes).toEqual([]);
    const healthy = await live.ws.subscribeActive<EventView>(query, { [argument]: argument === 'pattern' ? { type: 'Shallow' } : { ok: true } });
    const [written] = (await appendSuccess(gw, { streamId: `shallow-${argument}-${depth}`, events: newEvents(1, 'Shallow', () => ({ ok: true })) })).events;
    expect((await healthy.waitForEvents(1))[0]!.id).toBe(written!.id);
    expect(await ws.ask(request(STREAM_VERSION, `{"streamId":"shallow-${argument}-${depth}"}`))).toEqual({ data: { streamVersion: 0 } });
  });

  it('refuses deep data sent over graphql-ws, and the socket carries on', async () => {
    const answer = await ws.ask(request(APPEND, `{"input":{"streamId":"deep-ws","events":[{"type":"Deep","data":${deepArray(100_000)}}]}}`));
    expectTooDeep(answer, 'input.events[0].data');
    expect(ws.closes).toEqual([]);
    expect(await ws.ask(request(STREAM_VERSION, '{"streamId":"deep-ws"}'))).toEqual({ data: { streamVersion: -1 } });
  });

  it('refuses a literal in the document nested too deep to parse, as a limit', async () => {
    const response = await gw.gql(`mutation { appendEvents(input: { streamId: "deep-literal", events: [{ type: "Deep", data: ${deepArray(3_000)} }] }) { __typename } }`);
    expect(response.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_DEPTH' }) })]);
    expect(await streamVersion('deep-literal')).toBe(-1);
  });
});
