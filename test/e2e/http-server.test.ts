import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.js';
import { STORES, type StoresData } from '../support/queries.js';
import { dataOf, startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

async function expectStillServing(gateway: TestGateway): Promise<void> {
  expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
  expect(dataOf(await gateway.gql<StoresData>(STORES)).stores).toHaveLength(1);
}

describe('liveness and readiness', () => {
  it('GET /health answers 200', async () => {
    const response = await fetch(`${gw.origin}/health`);
    expect(response.status).toBe(200);
  });

  it('GET /ready answers 200 when the database takes writes', async () => {
    const response = await fetch(`${gw.origin}/ready`);
    expect(response.status).toBe(200);
  });

  it('GET /ready answers 503, and /health still 200, once the database is gone', async () => {
    const doomed = await startTestGateway();
    try {
      expect((await fetch(`${doomed.origin}/ready`)).status).toBe(200);
      await doomed.dropDatabase();
      expect((await fetch(`${doomed.origin}/ready`)).status).toBe(503);
      expect((await fetch(`${doomed.origin}/health`)).status).toBe(200);
    } finally {
      await doomed.stop();
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
