import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpConnection, POST_PATHS, type HttpAnswer, type HttpConnection } from '../support/http-connection.js';
import { useGateway } from '../support/use-gateway.js';
import { askOverWs, connectWs, type WsConnection } from '../support/ws-client.js';

/** Few enough that a test can see the least recently used document forgotten. */
const MAX_DOCUMENTS = 3;
const gw = useGateway({ env: { GATER_APQ_MAX_DOCUMENTS: String(MAX_DOCUMENTS) } });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persistedQuery = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
/** A document no other test sends, so that its hash is unknown until a test registers it. */
let made = 0;
const freshQuery = () => `query Fresh${++made} { stores { id } }`;

let connection: HttpConnection;
beforeAll(() => {
  connection = httpConnection(gw.url);
});
afterAll(() => connection.close());

describe.each(Object.entries(POST_PATHS))('APQ over HTTP, on %s', (_path, sent) => {
  const post = (body: Record<string, unknown>) => connection.post(JSON.stringify(body), sent);
  const codeOf = (answer: HttpAnswer) => answer.body.errors?.map((error) => [error.message, error.extensions?.code]);

  it('answers an unknown hash PersistedQueryNotFound, runs a query sent with its hash, then runs it by hash alone', async () => {
    const query = freshQuery();
    const first = await post({ extensions: persistedQuery(query) });
    expect(first.status).toBe(404);
    expect(codeOf(first)).toEqual([['PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND']]);

    const registered = await post({ query, extensions: persistedQuery(query) });
    expect(registered.body).toEqual({ data: { stores: [{ id: 'default' }] } });

    const byHash = await post({ extensions: persistedQuery(query), variables: {} });
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual({ data: { stores: [{ id: 'default' }] } });
  });

  it('refuses a query sent with a hash that is not its own, and keeps nothing under that hash', async () => {
    const query = freshQuery();
    const wrong = { persistedQuery: { version: 1, sha256Hash: sha256(`${query} `) } };
    const mismatch = await post({ query, extensions: wrong });
    expect(mismatch.status).toBe(400);
    expect(codeOf(mismatch)).toEqual([['PersistedQueryMismatch', 'PERSISTED_QUERY_MISMATCH']]);
    expect(codeOf(await post({ extensions: wrong }))).toEqual([['PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND']]);
  });
});

describe('the APQ store', () => {
  it(`forgets the least recently used document past GATER_APQ_MAX_DOCUMENTS (${MAX_DOCUMENTS})`, async () => {
    const queries = Array.from({ length: MAX_DOCUMENTS + 1 }, freshQuery);
    for (const query of queries) expect((await connection.post(JSON.stringify({ query, extensions: persistedQuery(query) }))).status).toBe(200);
    const [oldest, ...kept] = queries;
    expect((await connection.post(JSON.stringify({ extensions: persistedQuery(oldest!) }))).status).toBe(404);
    for (const query of kept) expect((await connection.post(JSON.stringify({ extensions: persistedQuery(query) }))).body.data).toEqual({ stores: [{ id: 'default' }] });
  });
});

describe('APQ over graphql-ws', () => {
  let ws: WsConnection;
  beforeAll(async () => {
    ws = await connectWs(gw);
  });
  afterAll(() => ws.dispose());

  /** graphql-ws needs `query` to be a string: an empty one, with the hash, names a registered document. */
  const askByHash = (query: string) => askOverWs(ws.client, { query: '', extensions: persistedQuery(query) });

  it('runs a document registered over HTTP by its hash, and answers an unknown hash PersistedQueryNotFound', async () => {
    const query = freshQuery();
    expect((await askByHash(query)).errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND']]);
    await connection.post(JSON.stringify({ query, extensions: persistedQuery(query) }));
    expect(await askByHash(query)).toEqual({ data: { stores: [{ id: 'default' }] } });
    expect(ws.closes).toEqual([]);
  });
});
