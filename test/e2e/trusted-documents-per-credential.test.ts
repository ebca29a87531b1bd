import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeysFile } from '../support/api-keys-file.js';
import { httpConnection, POST_PATHS, type HttpConnection } from '../support/http-connection.js';
import type { GraphQLErrorBody } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { askOverWs, connectWs, type WsConnection } from '../support/ws-client.js';

const STORES = 'query Stores { stores { id } }';
const VERSION = 'query Version($streamId: String!) { streamVersion(streamId: $streamId) }';
const APPEND = 'mutation Append($streamId: String!) { appendEvents(input: { streamId: $streamId, events: [{ type: "Sent" }] }) { __typename } }';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persistedQuery = (document: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(document) } });

const manifest = path.join(mkdtempSync(path.join(os.tmpdir(), 'gater-trusted-')), 'persisted-documents.json');
writeFileSync(manifest, JSON.stringify(Object.fromEntries([STORES, VERSION].map((document) => [sha256(document), document]))));

/** The front end's key may run only the manifest's documents; the service's key, any. */
const FRONT_END_KEY = 'front-end-key-0123456789abcdef';
const SERVICE_KEY = 'service-key-0123456789abcdef';
const JWT_SECRET = 'a-secret-of-at-least-32-characters-for-hs256';

const gw = useGateway({
  env: {
    GATER_API_KEYS_FILE: apiKeysFile([
      { name: 'front-end', key: FRONT_END_KEY, role: 'writer', trustedDocumentsOnly: true },
      { name: 'service', key: SERVICE_KEY, role: 'writer' },
    ]),
    GATER_JWT_SECRET: JWT_SECRET,
    GATER_TRUSTED_DOCUMENTS_FILE: manifest,
    GATER_TRUSTED_DOCUMENTS_FOR: 'marked',
  },
});

const token = (claim: Record<string, unknown>) => new SignJWT({ gater: { role: 'writer', ...claim } }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
const codes = (errors: GraphQLErrorBody[] | undefined) => (errors ?? []).map((error) => error.extensions?.code);

let connection: HttpConnection;
let frontEndToken: string;
let serviceToken: string;
beforeAll(async () => {
  connection = httpConnection(gw.url);
  frontEndToken = await token({ trustedDocumentsOnly: true });
  serviceToken = await token({});
});
afterAll(() => connection.close());

describe.each(Object.entries(POST_PATHS))('trusted documents for marked credentials (GATER_TRUSTED_DOCUMENTS_FOR=marked), on %s', (_path, sent) => {
  const post = (credential: string, body: Record<string, unknown>) =>
    connection.post(JSON.stringify(body), { ...sent, headers: { authorization: `Bearer ${credential}` } });

  it('hold a marked API key and a marked token to the manifest: a document as text or an unknown id is refused, and nothing is written', async () => {
    for (const credential of [FRONT_END_KEY, frontEndToken]) {
      expect((await post(credential, { documentId: sha256(STORES) })).body).toEqual({ data: { stores: [{ id: 'default' }] } });
      const streamId = `refused-${randomUUID()}`;
      const text = await post(credential, { query: APPEND, variables: { streamId } });
      expect([text.status, codes(text.body.errors)]).toEqual([400, ['PERSISTED_QUERY_ONLY']]);
      const unknown = await post(credential, { documentId: sha256(APPEND) });
      expect([unknown.status, codes(unknown.body.errors)]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST']]);
      expect((await post(SERVICE_KEY, { query: VERSION, variables: { streamId } })).body).toEqual({ data: { streamVersion: -1 } });
    }
  });

  it('let the other credentials send any document, name one of the manifest, or use APQ', async () => {
    for (const credential of [SERVICE_KEY, serviceToken]) {
      const streamId = `sent-${randomUUID()}`;
      expect((await post(credential, { query: APPEND, variables: { streamId } })).body).toEqual({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
      expect((await post(credential, { documentId: sha256(VERSION), variables: { streamId } })).body).toEqual({ data: { streamVersion: 0 } });
      expect(codes((await post(credential, { documentId: sha256(APPEND) })).body.errors)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);

      const fresh = `query Fresh { streamVersion(streamId: "${streamId}") }`;
      expect(codes((await post(credential, { extensions: persistedQuery(fresh) })).body.errors)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect((await post(credential, { query: fresh, extensions: persistedQuery(fresh) })).body).toEqual({ data: { streamVersion: 0 } });
      expect((await post(credential, { extensions: persistedQuery(fresh) })).body).toEqual({ data: { streamVersion: 0 } });
    }
  });
});

describe('trusted documents for marked credentials over graphql-ws', () => {
  let frontEnd: WsConnection;
  let service: WsConnection;
  beforeAll(async () => {
    frontEnd = await connectWs(gw, { connectionParams: { authorization: `Bearer ${FRONT_END_KEY}` } });
    service = await connectWs(gw, { connectionParams: { authorization: `Bearer ${SERVICE_KEY}` } });
  });
  afterAll(async () => {
    await frontEnd.dispose();
    await service.dispose();
  });

  it('refuse a document sent as text on the marked connection only', async () => {
    const streamId = `ws-${randomUUID()}`;
    expect(await askOverWs(frontEnd.client, { query: '', documentId: sha256(VERSION) }, { streamId })).toEqual({ data: { streamVersion: -1 } });
    expect(codes((await askOverWs(frontEnd.client, APPEND, { streamId })).errors)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(codes((await askOverWs(frontEnd.client, { query: '', documentId: sha256(APPEND) }, { streamId })).errors)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(await askOverWs(service.client, APPEND, { streamId })).toEqual({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    expect(await askOverWs(service.client, { query: '', documentId: sha256(VERSION) }, { streamId })).toEqual({ data: { streamVersion: 0 } });
    expect([frontEnd.closes, service.closes]).toEqual([[], []]);
  });
});
