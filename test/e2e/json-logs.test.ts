import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { BY_STREAM } from '../support/queries.js';
import { askOverWs, waitUntil } from '../support/ws-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_KEY = 'admin-key-of-sixteen-chars-or-more';
const READER_KEY = 'reader-key-of-sixteen-chars-or-more';

interface LogLine {
  time: string;
  level: string;
  msg: string;
  requestId?: string;
  operation?: string;
  operationType?: string;
  durationMs?: number;
  outcome?: string;
  code?: string;
  store?: string;
  err?: { type: string; message: string; stack: string };
}

/**
 * The gateway as `npm start` runs it, its stdout a pipe (not a terminal),
 * at GATER_LOG_LEVEL=debug, with API keys so that some requests are refused.
 */
describe('the log of a gateway process', () => {
  let database: TestDatabase;
  let child: ChildProcess;
  let url: string;
  const raw: string[] = [];
  let pending = '';

  const lines = (): LogLine[] => raw.map((line) => JSON.parse(line) as LogLine);
  const waitForLine = async (what: string, match: (line: LogLine) => boolean): Promise<LogLine> => {
    await waitUntil(() => lines().some(match), what);
    return lines().find(match)!;
  };

  const post = async (query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { requestId: response.headers.get('x-request-id'), body: (await response.json()) as { errors?: { extensions?: { code?: string } }[] } };
  };
  const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    database = await createTestDatabase();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        GATER_NODES: database.url,
        PORT: '0',
        GATER_LOG_LEVEL: 'debug',
        GATER_API_KEYS: `${ADMIN_KEY}:admin,${READER_KEY}:reader`,
        GATER_MAX_BODY_BYTES: '1024',
        GATER_MAX_ALIASES: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop()!;
      raw.push(...parts);
    });
    const serving = await waitForLine('the gateway to serve', (line) => line.msg.startsWith('serving '));
    url = /serving (\S+)/.exec(serving.msg)![1]!;
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await database?.drop();
  });

  it('answers the request id the client sent, and logs the operation under it at debug', async () => {
    const { requestId, body } = await post('query StoreList { stores { id } }', { ...asAdmin, 'x-request-id': 'client-chosen-42' });
    expect(body.errors).toBeUndefined();
    expect(requestId).toBe('client-chosen-42');
    const line = await waitForLine('the operation line', (candidate) => candidate.requestId === 'client-chosen-42');
    expect(line).toMatchObject({ level: 'debug', operation: 'StoreList', operationType: 'query', outcome: 'ok' });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('makes up an id when the client sent none or an unsafe one, and logs under the id it answered', async () => {
    for (const sent of [undefined, 'has spaces and "quotes"', 'x'.repeat(129)]) {
      const { requestId } = await post('query Again { stores { id } }', sent === undefined ? asAdmin : { ...asAdmin, 'x-request-id': sent });
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      await waitForLine('the operation line', (line) => line.requestId === requestId && line.operation === 'Again');
    }
    expect(raw.join('\n')).not.toContain('has spaces');
  });

  it('logs a mutation with the store it wrote to', async () => {
    const { requestId } = await post(
      'mutation Write($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }',
      asAdmin,
      { input: { streamId: 'order-1', events: [{ type: 'Placed', data: {} }] } },
    );
    const line = await waitForLine('the mutation line', (candidate) => candidate.requestId === requestId && candidate.level === 'debug');
    expect(line).toMatchObject({ operation: 'Write', operationType: 'mutation', store: 'default' });
  });

  it('gives each graphql-ws operation its connection id and its number, answered on the upgrade', async () => {
    let answered: string | undefined;
    class WithRequestId extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { 'x-request-id': 'ws-conn-7' } });
        this.once('upgrade', (response: IncomingMessage) => (answered = response.headers['x-request-id'] as string));
      }
    }
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WithRequestId, lazy: false, connectionParams: { authorization: `Bearer ${ADMIN_KEY}` }, retryAttempts: 0 });
    try {
      expect((await askOverWs(client, 'query First { stores { id } }')).errors).toBeUndefined();
      expect((await askOverWs(client, 'query Second { stores { id } }')).errors).toBeUndefined();
      // A subscription gets its line when it ends, here when the client stops it after its first event (order-1 was written above).
      let received = 0;
      const stop = client.subscribe({ query: BY_STREAM, variables: { streamId: 'order-1', fromVersion: 0 } }, { next: () => received++, error: () => undefined, complete: () => undefined });
      await waitUntil(() => received > 0, 'the first event of the subscription');
      stop();
      expect(await waitForLine('the subscription', (line) => line.requestId === 'ws-conn-7:3')).toMatchObject({ operation: 'ByStream', operationType: 'subscription', level: 'debug' });
    } finally {
      await client.dispose();
    }
    expect(answered).toBe('ws-conn-7');
    expect(await waitForLine('the first', (line) => line.requestId === 'ws-conn-7:1')).toMatchObject({ operation: 'First', level: 'debug' });
    expect(await waitForLine('the second', (line) => line.requestId === 'ws-conn-7:2')).toMatchObject({ operation: 'Second', level: 'debug' });
  });

  it('logs each refusal once per cause at warn, with the request id of the first', async () => {
    const anonymous = [];
    for (let i = 0; i < 5; i++) anonymous.push(await post('query Anonymous { stores { id } }'));
    for (const { body } of anonymous) expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const readerWrites = [];
    for (let i = 0; i < 3; i++) {
      readerWrites.push(
        await post('mutation ReaderWrite($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }', { authorization: `Bearer ${READER_KEY}` }, {
          input: { streamId: 'order-2', events: [{ type: 'Placed', data: {} }] },
        }),
      );
    }
    for (const { body } of readerWrites) expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Lines arrive in order: once this one is in, every line of the requests above is.
    const { requestId: marker } = await post('query Marker { stores { id } }', asAdmin);
    await waitForLine('the marker', (line) => line.requestId === marker);

    const refusals = lines().filter((line) => line.level === 'warn' && line.msg.startsWith('request refused'));
    const unauthenticated = refusals.filter((line) => line.code === 'UNAUTHENTICATED');
    expect(unauthenticated).toHaveLength(1);
    expect(unauthenticated[0]).toMatchObject({ requestId: anonymous[0]!.requestId, operation: 'Anonymous' });
    const forbidden = refusals.filter((line) => line.code === 'FORBIDDEN');
    expect(forbidden).toHaveLength(1);
    expect(forbidden[0]).toMatchObject({ requestId: readerWrites[0]!.requestId, operation: 'ReaderWrite' });
    expect(forbidden[0]!.msg).toMatch(/role reader may not/);
  });

  it('logs a request refused before it ran at warn with its id: the body limit, another site, an operation budget over graphql-ws', async () => {
    const big = await post(`query Big { stores { id } } # ${'x'.repeat(2000)}`, asAdmin);
    expect(big.body.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const crossSite = await post('query FromAnotherSite { stores { id } }', { ...asAdmin, origin: 'https://attacker.example' });
    expect(crossSite.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    class WithRequestId extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { 'x-request-id': 'ws-conn-8' } });
      }
    }
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WithRequestId, lazy: false, connectionParams: { authorization: `Bearer ${ADMIN_KEY}` }, retryAttempts: 0 });
    try {
      const aliased = await askOverWs(client, 'query Aliased { a: stores { id } b: stores { id } c: stores { id } d: stores { id } }');
      expect(aliased.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    } finally {
      await client.dispose();
    }

    const warned = (requestId: string | null) => waitForLine(`the refusal of ${requestId}`, (line) => line.level === 'warn' && line.requestId === requestId);
    expect(await warned(big.requestId)).toMatchObject({ code: 'LIMIT_EXCEEDED', msg: expect.stringMatching(/GATER_MAX_BODY_BYTES/) });
    expect(await warned(crossSite.requestId)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await warned('ws-conn-8:1')).toMatchObject({ code: 'LIMIT_EXCEEDED', msg: expect.stringMatching(/GATER_MAX_ALIASES/) });
  });

  it('names the operation of a request refused in validation, on the fast POST path and through yoga (GET)', async () => {
    // Five and six aliases: each refusal's message differs from the others', so none is folded into an earlier line.
    const posted = await post('query FiveAliases { a: stores { id } b: stores { id } c: stores { id } d: stores { id } e: stores { id } }', asAdmin);
    expect(posted.body.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const query = 'query SixAliases { a: stores { id } b: stores { id } c: stores { id } d: stores { id } e: stores { id } f: stores { id } }';
    const got = await fetch(`${url}?${new URLSearchParams({ query, operationName: 'SixAliases' })}`, { headers: { ...asAdmin, accept: 'application/json' } });
    expect(((await got.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');

    const warned = (requestId: string | null) => waitForLine(`the refusal of ${requestId}`, (line) => line.level === 'warn' && line.requestId === requestId);
    expect(await warned(posted.requestId)).toMatchObject({ code: 'LIMIT_EXCEEDED', operation: 'FiveAliases' });
    expect(await warned(got.headers.get('x-request-id'))).toMatchObject({ code: 'LIMIT_EXCEEDED', operation: 'SixAliases' });
  });

  it('writes an unexpected error on one line at error, with its cause and the request id', async () => {
    // Pull the store's tables from under the gateway: reads now fail in a way no client can act on.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('DROP SCHEMA gater_default CASCADE');
    await client.end();

    const { requestId, body } = await post('query Broken { stores { id eventCount } }', asAdmin);
    expect(body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const line = await waitForLine('the error line', (candidate) => candidate.level === 'error');
    expect(line).toMatchObject({ requestId, operation: 'Broken' });
    expect(line.msg).toMatch(/^unexpected error at stores/);
    expect(line.err?.message).toMatch(/gater_default/);
    expect(line.err?.stack).toMatch(/\n\s+at /);
  });

  it('writes every line as one JSON object with time, level and msg, and no secret', async () => {
    expect(raw.length).toBeGreaterThan(5);
    for (const text of raw) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        throw new Error(`a log line that is not JSON: ${text}`);
      }
      expect(Number.isNaN(Date.parse(line.time)), text).toBe(false);
      expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal'], text).toContain(line.level);
      expect(typeof line.msg, text).toBe('string');
    }
    const all = raw.join('\n');
    for (const secret of [ADMIN_KEY, READER_KEY, decodeURIComponent(new URL(database.url).password)].filter(Boolean)) {
      expect(all).not.toContain(secret);
    }
  });
});
