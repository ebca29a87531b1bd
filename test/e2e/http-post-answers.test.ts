import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPEND, STORES } from '../support/queries.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * Services post JSON with no Origin header; browsers of an allowed origin send
 * one and get CORS headers. The two must get the same answer (status, media
 * type, body) for any request, good or bad, whatever media types the client accepts.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ env: { GATER_CORS_ORIGINS: 'http://app.example' } });
});
afterAll(async () => {
  await gw?.stop();
});

interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

async function post(body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

const json = (params: unknown) => JSON.stringify(params);

const requests: Record<string, string> = {
  'a query': json({ query: STORES }),
  'one operation of several, chosen by name, with variables': json({
    query: `query Stores { stores { id } } query Version($streamId: String!) { streamVersion(streamId: $streamId) }`,
    operationName: 'Version',
    variables: { streamId: 'no-such-stream' },
  }),
  'several operations and no name': json({ query: `query A { stores { id } } query B { stores { eventCount } }` }),
  'a syntax error': json({ query: '{ stores { id }' }),
  'an unknown field': json({ query: '{ stores { nope } }' }),
  'a variable of the wrong shape': json({ query: APPEND, variables: { input: { streamId: 'orders-1', events: [{ data: {} }] } } }),
  'a resolver error (unknown store)': json({ query: '{ streamVersion(store: "nope", streamId: "a") }' }),
  'an append refused for its expected version': json({
    query: APPEND,
    variables: { input: { streamId: 'orders-2', expectedVersion: 5, events: [{ type: 'Placed', data: {} }] } },
  }),
  'a body that is not JSON': '{"query": ',
  'a batch': json([{ query: STORES }]),
  'a parameter GraphQL does not define': json({ query: STORES, extra: 1 }),
  'no query': json({ variables: {} }),
};

const accepts: Record<string, Record<string, string>> = {
  'no Accept header': {},
  'application/json': { accept: 'application/json' },
  'application/graphql-response+json': { accept: 'application/graphql-response+json' },
  "Apollo Client's Accept": { accept: 'application/graphql-response+json,application/json;q=0.9' },
  "urql's Accept": { accept: 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed' },
};

describe.each(Object.entries(accepts))('POST /graphql with %s', (_, acceptHeader) => {
  it.each(Object.keys(requests))('answers %s the same with and without an Origin header', async (name) => {
    const fromService = await post(requests[name]!, acceptHeader);
    const fromBrowser = await post(requests[name]!, { ...acceptHeader, origin: 'http://app.example' });
    expect(fromService).toEqual(fromBrowser);
  });
});

it('answers a plain query from a service as JSON with status 200', async () => {
  const answer = await post(json({ query: STORES }), {});
  expect(answer.status).toBe(200);
  expect(answer.contentType).toBe('application/json; charset=utf-8');
  expect(JSON.parse(answer.body)).toEqual({ data: { stores: [expect.objectContaining({ id: 'default' })] } });
});
