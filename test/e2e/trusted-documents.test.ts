import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_KEYS, ROLE_KEYS_ENV } from '../support/callers.js';
import { httpConnection, POST_PATHS, type HttpConnection } from '../support/http-connection.js';
import type { GraphQLErrorBody } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { askOverWs, connectWs, type WsConnection } from '../support/ws-client.js';

const STORES = 'query Stores { stores { id } }';
const APPEND = 'mutation Append($streamId: String!, $type: String!) { appendEvents(input: { streamId: $streamId, events: [{ type: $type }] }) { __typename } }';
const BY_STREAM = 'subscription ByStream($streamId: String!) { byStream(streamId: $streamId) { streamId type } }';
const VERSION = 'query Version($streamId: String!) { streamVersion(streamId: $streamId) }';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const idOf = (document: string) => sha256(document);

/**
 * The manifest graphql-codegen's client preset writes (`persistedDocuments: true`): hash → document, the
 * hash as `sha256:<hex>` (as the preset writes it now) or the bare hex (as it did before).
 */
const manifest = path.join(mkdtempSync(path.join(os.tmpdir(), 'gater-trusted-')), 'persisted-documents.json');
writeFileSync(manifest, JSON.stringify({ [`sha256:${idOf(STORES)}`]: STORES, [idOf(APPEND)]: APPEND, [idOf(BY_STREAM)]: BY_STREAM }));

const gw = useGateway({
  env: { GATER_API_KEYS: ROLE_KEYS_ENV, GATER_TRUSTED_DOCUMENTS_FILE: manifest, GATER_TRUSTED_DOCUMENTS_ADMIN_BYPASS: 'true' },
});

const writer = { authorization: `Bearer ${ROLE_KEYS.writer}` };
const admin = { authorization: `Bearer ${ROLE_KEYS.admin}` };
const codes = (errors: GraphQLErrorBody[] | undefined) => (errors ?? []).map((error) => error.extensions?.code);

let connection: HttpConnection;
beforeAll(() => {
  connection = httpConnection(gw.url);
});
afterAll(() => connection.close());

describe.each(Object.entries(POST_PATHS))('trusted documents over HTTP, on %s', (_path, sent) => {
  const post = (body: Record<string, unknown>, credential = writer) => connection.post(JSON.stringify(body), { ...sent, headers: credential });

  it('runs a document of the manifest named by documentId or by extensions.persistedQuery.sha256Hash', async () => {
    expect((await post({ documentId: idOf(STORES) })).body).toEqual({ data: { stores: [{ id: 'default' }] } });
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: idOf(STORES) } } });
    expect(byHash.body).toEqual({ data: { stores: [{ id: 'default' }] } });
  });

  it('refuses an id that is not in the manifest with PERSISTED_QUERY_NOT_IN_LIST', async () => {
    const answer = await post({ documentId: sha256('query { stores { id eventCount } }') });
    expect(answer.status).toBe(400);
    expect(codes(answer.body.errors)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });

  it('refuses a document sent as text with PERSISTED_QUERY_ONLY, even one of the manifest, and writes nothing', async () => {
    const streamId = `refused-${randomUUID()}`;
    const mutation = await post({ query: APPEND, variables: { streamId, type: 'Refused' } });
    expect(mutation.status).toBe(400);
    expect(mutation.body).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_ONLY' } })] });
    expect(codes((await post({ query: STORES, extensions: { persistedQuery: { version: 1, sha256Hash: idOf(STORES) } } })).body.errors)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(codes((await post({})).body.errors)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect((await post({ query: VERSION, variables: { streamId } }, admin)).body).toEqual({ data: { streamVersion: -1 } });
  });

  it('lets an admin send any document (GATER_TRUSTED_DOCUMENTS_ADMIN_BYPASS)', async () => {
    expect((await post({ query: '{ stores { id } }' }, admin)).body).toEqual({ data: { stores: [{ id: 'default' }] } });
  });
});

describe('trusted documents over GET', () => {
  const get = async (params: Record<string, string>) => {
    const url = new URL(gw.url);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const response = await fetch(url, { headers: { ...writer, accept: 'application/json' } });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: GraphQLErrorBody[] } };
  };

  it('runs a query of the manifest named by documentId, in either form of its hash, or by the APQ extension', async () => {
    const stores = { status: 200, body: { data: { stores: [{ id: 'default' }] } } };
    expect(await get({ documentId: `sha256:${idOf(STORES)}` })).toEqual(stores);
    expect(await get({ documentId: idOf(STORES) })).toEqual(stores);
    expect(await get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: idOf(STORES) } }) })).toEqual(stores);
  });

  it('refuses an id not in the manifest, and a mutation of the manifest, which GET never runs', async () => {
    const unknown = await get({ documentId: `sha256:${sha256('query { stores { eventCount } }')}` });
    expect([unknown.status, codes(unknown.body.errors)]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST']]);
    const streamId = `over-get-${randomUUID()}`;
    const mutation = await get({ documentId: `sha256:${idOf(APPEND)}`, variables: JSON.stringify({ streamId, type: 'OverGet' }) });
    expect(mutation.status).toBe(405);
    expect((await connection.post(JSON.stringify({ query: VERSION, variables: { streamId } }), { headers: admin })).body).toEqual({ data: { streamVersion: -1 } });
  });
});

describe('trusted documents over graphql-ws', () => {
  let ws: WsConnection;
  let adminWs: WsConnection;
  beforeAll(async () => {
    ws = await connectWs(gw, { connectionParams: writer });
    adminWs = await connectWs(gw, { connectionParams: admin });
  });
  afterAll(async () => {
    await ws.dispose();
    await adminWs.dispose();
  });

  /** graphql-ws needs `query` to be a string: an empty one, with documentId, names a trusted document. */
  const byId = (document: string) => ({ query: '', documentId: idOf(document) });

  it('runs a query and a subscription of the manifest by their id', async () => {
    expect(await askOverWs(ws.client, byId(STORES))).toEqual({ data: { stores: [{ id: 'default' }] } });

    const streamId = `trusted-${randomUUID()}`;
    const subscription = await ws.subscribeActive({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: idOf(BY_STREAM) } } }, { streamId });
    expect(await askOverWs(ws.client, byId(APPEND), { streamId, type: 'Trusted' })).toEqual({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    expect(await subscription.waitForEvents(1)).toEqual([{ streamId, type: 'Trusted' }]);
    subscription.unsubscribe();
    expect(ws.closes).toEqual([]);
  });

  it('refuses an unknown id and a document sent as text, and writes nothing; an admin may send any document', async () => {
    const streamId = `refused-${randomUUID()}`;
    expect(codes((await askOverWs(ws.client, { query: '', documentId: sha256('subscription { clusterStatus { status } }') })).errors)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    const refused = await askOverWs(ws.client, APPEND, { streamId, type: 'Refused' });
    expect(refused.errors).toEqual([{ message: expect.stringContaining('only trusted documents'), extensions: { code: 'PERSISTED_QUERY_ONLY' } }]);
    expect(await askOverWs(adminWs.client, VERSION, { streamId })).toEqual({ data: { streamVersion: -1 } });
    expect(ws.closes).toEqual([]);
  });
});
