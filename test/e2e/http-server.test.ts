import { once } from 'node:events';
import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.js';
import { STORES, type StoresData } from '../support/queries.js';
import { httpConnection, POST_PATHS } from '../support/http-connection.js';
import { dataOf, startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { waitUntil } from '../support/ws-client.js';

const gw = useGateway();

interface ReadinessBody {
  ready: boolean;
  reason?: string;
  checks: Record<string, { ok: boolean; detail: string }>;
}

async function expectStillServing(gateway: TestGateway): Promise<void> {
  expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
  expect(dataOf(await gateway.gql<StoresData>(STORES)).stores).toHaveLength(1);
}

describe('liveness and readiness', () => {
  it('GET /health answers 200 in JSON: alive, and not shutting down', async () => {
    const response = await fetch(`${gw.origin}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toMatchObject({ alive: true, shuttingDown: false });
  });

  it('GET /ready answers 200 when the database takes writes, in JSON naming each check that passed', async () => {
    const response = await fetch(`${gw.origin}/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as ReadinessBody;
    expect(body.ready).toBe(true);
    expect(body.reason).toBeUndefined();
    expect(Object.keys(body.checks).sort()).toEqual(['leader', 'migrations', 'shutdown']);
    for (const check of Object.values(body.checks)) expect(check.ok).toBe(true);
    expect(body.checks.leader!.detail).toMatch(/^the leader node-[0-9a-f]{12} answers and takes writes$/);
    expect(body.checks.migrations!.detail).toContain('default');
  });

  it('GET /ready answers 503 with the failed check and why, and /health still 200, once the database is gone', async () => {
    const doomed = await startTestGateway();
    try {
      expect((await fetch(`${doomed.origin}/ready`)).status).toBe(200);
      await doomed.dropDatabase();
      const response = await fetch(`${doomed.origin}/ready`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as ReadinessBody;
      expect(body.ready).toBe(false);
      expect(body.checks.leader).toMatchObject({ ok: false, detail: expect.stringMatching(/^the leader node-[0-9a-f]{12} does not answer \((SUSPECT|DOWN), \d+ failed probes? in a row\)$/) });
      expect(body.checks.shutdown!.ok).toBe(true);
      expect(body.reason).toBe(body.checks.leader!.detail);
      // Open to anyone who reaches the port: no address of a node.
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|localhost|postgres:/);
      expect((await fetch(`${doomed.origin}/health`)).status).toBe(200);
    } finally {
      await doomed.stop();
    }
  });

  it('GET /ready answers 503, saying the gateway is shutting down, once a stop has begun', async () => {
    const stopping = await startTestGateway();
    try {
      const { port } = new URL(stopping.origin);
      const socket = net.connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      let received = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      // A request under way holds the connection open through the stop's drain; the /ready behind it arrives once the stop began.
      // The server answers 100 Continue as it takes the request on, before its body comes.
      const query = JSON.stringify({ query: '{ stores { id } }' });
      socket.write(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${query.length}\r\nexpect: 100-continue\r\n\r\n`);
      await waitUntil(() => received.includes('100 Continue'), 'the first request to be taken on');
      const stopped = stopping.stop();
      socket.write(`${query}GET /ready HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`);
      await once(socket, 'close');
      await stopped;
      const answers = received.split(/(?=HTTP\/1\.1 )/).filter((answer) => !answer.startsWith('HTTP/1.1 100'));
      expect(answers).toHaveLength(2);
      expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
      expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
      expect(answers[1]).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
      const body = JSON.parse(answers[1]!.slice(answers[1]!.indexOf('{"'), answers[1]!.lastIndexOf('}') + 1)) as ReadinessBody;
      expect(body).toMatchObject({ ready: false, reason: 'the gateway is shutting down', checks: { shutdown: { ok: false } } });
    } finally {
      await stopping.stop();
    }
  });
});

describe('GraphiQL', () => {
  it('GET /graphql from a browser (accept: text/html) serves the GraphiQL page', async () => {
    const response = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<html/i);
    expect(html.toLowerCase()).toContain('graphiql');
  });
});

describe('GraphQL over HTTP', () => {
  it('answers a query sent with GET', async () => {
    const response = await fetch(`${gw.url}?query=${encodeURIComponent('{ stores { id } }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { stores: [{ id: 'default' }] } });
  });

  it.each([
    ['variables', 'application/json'],
    ['extensions', 'application/json'],
    ['variables', 'text/event-stream'],
  ])('a GET whose %s is not JSON answers 400 BAD_REQUEST naming it (accept: %s)', async (param, accept) => {
    const response = await fetch(`${gw.url}?query=${encodeURIComponent('{ stores { id } }')}&${param}=%7Bbad`, { headers: { accept } });
    expect(response.status).toBe(400);
    const error = { message: `The "${param}" parameter is not valid JSON.`, extensions: { code: 'BAD_REQUEST' } };
    // An EventSource gets the answer as the stream's one event.
    if (accept === 'text/event-stream') expect(await response.text()).toContain(JSON.stringify({ errors: [error] }));
    else expect(await response.json()).toEqual({ errors: [error] });
  });

  it('a body that is not valid JSON answers 400 BAD_REQUEST, and the server keeps serving', async () => {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": "{ stores { id } }"',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    await expectStillServing(gw);
  });

  describe.each(Object.entries(POST_PATHS))('a body that is not UTF-8, on %s', (_path, options) => {
    const append = (streamId: Buffer) =>
      Buffer.concat([Buffer.from(`{"query":"mutation { appendEvents(input: { streamId: \\"`), streamId, Buffer.from(`\\", events: [{ type: \\"T\\" }] }) { __typename } }"}`)]);

    it('answers 400 BAD_REQUEST for bytes that are not UTF-8, and stores nothing', async () => {
      const http = httpConnection(gw.url);
      try {
        // "lat-é" in Latin-1: decoded as UTF-8, its last byte would be U+FFFD, the same as "lat-è"'s.
        const answer = await http.post(append(Buffer.from('lat-\xe9', 'latin1')), options);
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ errors: [{ message: 'POST body is not valid UTF-8', extensions: { code: 'BAD_REQUEST' } }] });
        const { streams } = dataOf(await gw.gql<{ streams: { edges: { node: { id: string } }[] } }>('{ streams(first: 100) { edges { node { id } } } }'));
        expect(streams.edges.map((edge) => edge.node.id).filter((id) => id.startsWith('lat-') && id !== 'lat-ok')).toEqual([]);
      } finally {
        http.close();
      }
    });

    it('answers 415 for another charset, and takes utf-8 in any case and spacing', async () => {
      const http = httpConnection(gw.url);
      try {
        const latin1 = await http.post(append(Buffer.from('lat-e')), { ...options, headers: { 'content-type': 'application/json; charset=iso-8859-1' } });
        expect(latin1.status).toBe(415);
        expect(latin1.body).toEqual({ errors: [{ message: 'POST body must be UTF-8 JSON, not charset=iso-8859-1', extensions: { code: 'BAD_REQUEST' } }] });
        for (const contentType of ['Application/JSON ; Charset=UTF-8', 'application/json;charset="utf-8"', 'APPLICATION/JSON']) {
          const answer = await http.post(append(Buffer.from('lat-ok')), { ...options, headers: { 'content-type': contentType } });
          expect([contentType, answer.status, answer.body]).toEqual([contentType, 200, { data: { appendEvents: { __typename: 'AppendEventsSuccess' } } }]);
        }
      } finally {
        http.close();
      }
    });
  });

  it('a body without a query answers 400 BAD_REQUEST (GraphQL over HTTP media type), and the server keeps serving', async () => {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ variables: {} }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }] });
    await expectStillServing(gw);
  });

  it('answers GraphQL at /graphql alone: another path that ends with it answers 404 with no data', async () => {
    const query = JSON.stringify({ query: '{ stores { id } }' });
    const post = (path: string) => fetch(`${gw.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
    for (const path of ['/api/graphql', '/x?next=/graphql', '/graphql/graphql', '/metrics/graphql']) {
      const refused = await post(path);
      expect(refused.status, path).toBe(404);
      expect(await refused.text(), path).toBe('');
    }
    expect((await fetch(`${gw.origin}/api/graphql?query=${encodeURIComponent('{ stores { id } }')}`)).status).toBe(404);
    for (const path of ['/graphql', '/graphql/', '/graphql?operationName=Stores']) {
      const answered = await post(path);
      expect(answered.status, path).toBe(200);
      expect(await answered.json(), path).toEqual({ data: { stores: [{ id: 'default' }] } });
    }
  });

  it('a query that does not parse is a syntax error, and the server keeps serving', async () => {
    const response = await gw.gql('{ stores { id ');
    expect(response).toEqual({
      errors: [{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 15 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
    });
    await expectStillServing(gw);
  });
});

describe('an unexpected error', () => {
  it('is masked for the client and logged with its cause', async () => {
    const logged: { message: string; cause: unknown }[] = [];
    const log: Logger = { info: () => undefined, error: (message, cause) => logged.push({ message, cause }) };
    const broken = await startTestGateway({ log });
    try {
      // Pull the store's tables from under the gateway: every read now fails in a way no client can act on.
      const client = new pg.Client({ connectionString: broken.databaseUrl });
      await client.connect();
      await client.query('DROP SCHEMA gater_default CASCADE');
      await client.end();

      const response = await broken.gql('{ stores { id eventCount } }');
      expect(response.errors).toHaveLength(1);
      const error = response.errors![0]!;
      expect(error.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error.message).toBe('Unexpected error.');
      const body = JSON.stringify(response);
      expect(body).not.toMatch(/gater_default|relation|does not exist|stack/i);

      expect(logged.length).toBeGreaterThan(0);
      expect(logged[0]!.cause).toBeInstanceOf(Error);
      expect((logged[0]!.cause as Error).message).toMatch(/gater_default/);

      expect((await fetch(`${broken.origin}/health`)).status).toBe(200);
    } finally {
      await broken.stop();
    }
  });
});
