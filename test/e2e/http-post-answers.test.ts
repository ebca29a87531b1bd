import { describe, expect, it } from 'vitest';
import { APPEND, STORES } from '../support/queries.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * Most JSON POSTs, from services and from browsers' pages alike, are answered
 * by the gateway's fast path; a body sent in chunks, with no stated length,
 * is answered by yoga. Both must answer the same (status, headers, body) for
 * any request, good or bad, whatever media types the client accepts, and
 * with or without an Origin header: a browser of an allowed origin gets the
 * same CORS headers from either.
 */
const gw = useGateway({ env: { GATER_CORS_ORIGINS: 'http://app.example' } });

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that tell how the body was sent, or when, and so differ between the paths. */
const TRANSPORT_HEADERS = new Set(['date', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'x-request-id']);

async function post(body: string, headers: Record<string, string>, sent: 'with its length' | 'in chunks'): Promise<Answer> {
  const sentBody =
    sent === 'with its length'
      ? body
      : new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(body));
            controller.close();
          },
        });
  const response = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sentBody, duplex: 'half' } as RequestInit);
  const answerHeaders = Object.fromEntries([...response.headers].filter(([name]) => !TRANSPORT_HEADERS.has(name)));
  return { status: response.status, headers: answerHeaders, body: await response.text() };
}

const json = (params: unknown) => JSON.stringify(params);

/** The status for each kind of media type answered, when they differ. */
type Status = number | { json: number; graphqlResponse: number };

interface Case {
  body: string;
  status: Status;
  /** What the parsed body must hold (extra keys, such as error locations, aside). */
  answer: Record<string, unknown>;
}

const badRequest = (message: string) => ({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });

const requests: Record<string, Case> = {
  'a query': {
    body: json({ query: STORES }),
    status: 200,
    answer: { data: { stores: [{ id: 'default', streamCount: 0, eventCount: 0, headPosition: 0 }] } },
  },
  'one operation of several, chosen by name, with variables': {
    body: json({
      query: `query Stores { stores { id } } query Version($streamId: String!) { streamVersion(streamId: $streamId) }`,
      operationName: 'Version',
      variables: { streamId: 'no-such-stream' },
    }),
    status: 200,
    answer: { data: { streamVersion: -1 } },
  },
  'several operations and no name': {
    body: json({ query: `query A { stores { id } } query B { stores { eventCount } }` }),
    status: 400,
    answer: { errors: [{ message: 'Could not determine what operation to execute.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] },
  },
  'a syntax error': {
    body: json({ query: '{ stores { id }' }),
    status: { json: 200, graphqlResponse: 400 },
    answer: { errors: [{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 16 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
  },
  'an unknown field': {
    body: json({ query: '{ stores { nope } }' }),
    status: { json: 200, graphqlResponse: 400 },
    answer: { errors: [{ message: 'Cannot query field "nope" on type "Store".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
  },
  // No data: refused before anything ran, as a validation failure is.
  'a variable of the wrong shape': {
    body: json({ query: APPEND, variables: { input: { streamId: 'orders-1', events: [{ data: {} }] } } }),
    status: { json: 200, graphqlResponse: 400 },
    answer: {
      errors: [
        {
          message: expect.stringMatching(/^input\.events\[0\]\.type: Variable "\$input" got invalid value/),
          extensions: { code: 'BAD_USER_INPUT', field: 'input.events[0].type' },
        },
      ],
    },
  },
  'a variable of the wrong scalar type, and a required one missing': {
    body: json({ query: 'query Page($first: Int, $streamId: String!) { streamVersion(streamId: $streamId) events(first: $first) { edges { cursor } } }', variables: { first: 'x' } }),
    status: { json: 200, graphqlResponse: 400 },
    answer: {
      errors: [
        { message: expect.stringMatching(/^first: Variable "\$first" got invalid value "x"/), extensions: { code: 'BAD_USER_INPUT', field: 'first' } },
        { message: expect.stringMatching(/^streamId: Variable "\$streamId" of required type "String!" was not provided/), extensions: { code: 'BAD_USER_INPUT', field: 'streamId' } },
      ],
    },
  },
  'bad input a resolver refuses': {
    body: json({ query: APPEND, variables: { input: { streamId: 'orders-3', events: [] } } }),
    status: 200,
    answer: {
      data: null,
      errors: [{ message: 'input.events: an append needs at least one event', path: ['appendEvents'], extensions: { code: 'BAD_USER_INPUT', field: 'input.events' } }],
    },
  },
  'a resolver error (unknown store)': {
    body: json({ query: '{ streamVersion(store: "nope", streamId: "a") }' }),
    status: 200,
    answer: {
      data: null,
      errors: [{ message: 'store "nope" does not exist', path: ['streamVersion'], extensions: { code: 'STORE_NOT_FOUND', store: 'nope' } }],
    },
  },
  'an append refused for its expected version': {
    body: json({
      query: APPEND,
      variables: { input: { streamId: 'orders-2', expectedVersion: 5, events: [{ type: 'Placed', data: {} }] } },
    }),
    status: 200,
    answer: {
      data: {
        appendEvents: {
          __typename: 'WrongExpectedVersionError',
          message: 'stream "orders-2" expected 5 but its version is -1',
          streamId: 'orders-2',
          expected: '5',
          actualVersion: -1,
        },
      },
    },
  },
  'a body that is not JSON': { body: '{"query": ', status: 400, answer: badRequest('POST body sent invalid JSON.') },
  'a body that is not JSON, with quotes and a non-ASCII character': {
    body: '{"query": "{ stores { id } }", "é": \'x\'}',
    status: 400,
    answer: badRequest('POST body sent invalid JSON.'),
  },
  'JSON null': { body: 'null', status: 400, answer: badRequest('POST body is expected to be object but received null') },
  'a JSON string': { body: json('{ stores { id } }'), status: 400, answer: badRequest('POST body is expected to be object but received string') },
  'a JSON number': { body: '42', status: 400, answer: badRequest('POST body is expected to be object but received number') },
  'a batch': { body: json([{ query: STORES }]), status: 400, answer: badRequest('Batching is not supported.') },
  'a parameter GraphQL does not define': {
    body: json({ query: STORES, extra: 1 }),
    status: 400,
    answer: badRequest('Unexpected parameter "extra" in the request body.'),
  },
  'no query': { body: json({ variables: {} }), status: { json: 200, graphqlResponse: 400 }, answer: badRequest('Must provide query string.') },
};

type MediaType = 'application/json' | 'application/graphql-response+json';

const accepts: Record<string, { headers: Record<string, string>; answered: MediaType }> = {
  'no Accept header': { headers: {}, answered: 'application/json' },
  'application/json': { headers: { accept: 'application/json' }, answered: 'application/json' },
  'application/graphql-response+json': { headers: { accept: 'application/graphql-response+json' }, answered: 'application/graphql-response+json' },
  "Apollo Client's Accept": { headers: { accept: 'application/graphql-response+json,application/json;q=0.9' }, answered: 'application/graphql-response+json' },
  "urql's Accept": {
    headers: { accept: 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed' },
    answered: 'application/graphql-response+json',
  },
};

function statusFor(status: Status, mediaType: MediaType): number {
  if (typeof status === 'number') return status;
  return mediaType === 'application/json' ? status.json : status.graphqlResponse;
}

/** Who sends the request, and the origin the answer's CORS headers allow. */
const senders: Record<string, { headers: () => Record<string, string>; corsAllows?: string }> = {
  'a client that is not a browser': { headers: () => ({}) },
  "a page of the gateway's own origin (GraphiQL)": { headers: () => ({ origin: gw.origin, 'sec-fetch-site': 'same-origin' }) },
  'a page of an allowed origin': { headers: () => ({ origin: 'http://app.example', 'sec-fetch-site': 'cross-site' }), corsAllows: 'http://app.example' },
};

describe.each(Object.entries(accepts))('POST /graphql with %s', (_, { headers, answered }) => {
  describe.each(Object.entries(senders))('from %s', (_, sender) => {
    it.each(Object.keys(requests))('answers %s as expected, the same on either path', async (name) => {
      const { body, status, answer } = requests[name]!;
      const sent = { ...headers, ...sender.headers() };
      const fast = await post(body, sent, 'with its length');
      const yogas = await post(body, sent, 'in chunks');
      expect(fast).toEqual(yogas);
      expect([fast.status, fast.headers['content-type']]).toEqual([statusFor(status, answered), `${answered}; charset=utf-8`]);
      expect(JSON.parse(fast.body)).toMatchObject(answer);
      expect(fast.headers['vary']).toBe('Origin');
      expect(fast.headers['access-control-allow-origin']).toBe(sender.corsAllows);
    });
  });
});
