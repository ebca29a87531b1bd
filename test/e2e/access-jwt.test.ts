import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerClient, refusals } from '../support/callers.js';
import { signingKey, signWith, startJwksServer, type JwksServer, type SigningKey } from '../support/jwks-server.js';
import { APPEND, BY_STREAM } from '../support/queries.js';
import { newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs, waitUntil } from '../support/ws-client.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-chars';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'gater-tests';
const secretKey = new TextEncoder().encode(SECRET);

/** An HS256 token, valid unless the test changes something. */
function hs256(overrides: { claims?: Record<string, unknown>; exp?: number | string; nbf?: number; iss?: string; aud?: string; key?: Uint8Array } = {}) {
  const jwt = new SignJWT({ gater: { role: 'writer' }, ...overrides.claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuer(overrides.iss ?? ISSUER)
    .setAudience(overrides.aud ?? AUDIENCE)
    .setExpirationTime(overrides.exp ?? '5m');
  if (overrides.nbf !== undefined) jwt.setNotBefore(overrides.nbf);
  return jwt.sign(overrides.key ?? secretKey);
}

const now = () => Math.floor(Date.now() / 1000);

describe('tokens signed with the shared secret (HS256)', () => {
  const gw = useGateway({ env: { GATER_JWT_SECRET: SECRET, GATER_JWT_ISSUER: ISSUER, GATER_JWT_AUDIENCE: AUDIENCE } });
  const appendWith = (token: string) =>
    callerClient(gw, token).gql(APPEND, { input: { streamId: `jwt-${randomUUID()}`, events: newEvents(1) } });

  it('a valid token acts with the role of its gater claim', async () => {
    const response = await appendWith(await hs256());
    expect(response.errors).toBeUndefined();
    const reader = await callerClient(gw, await hs256({ claims: { gater: { role: 'reader' } } })).gql(APPEND, {
      input: { streamId: 'jwt-reader', events: newEvents(1) },
    });
    expect(refusals(reader.errors)).toEqual([['FORBIDDEN', 'write']]);
  });

  it.each([
    ['expired', () => hs256({ exp: now() - 60 }), 'the token has expired'],
    ['not yet valid', () => hs256({ nbf: now() + 3600 }), /^the token's "nbf" claim is not accepted: /],
    ['of another issuer', () => hs256({ iss: 'https://elsewhere.test' }), /^the token's "iss" claim is not accepted: /],
    ['for another audience', () => hs256({ aud: 'someone-else' }), /^the token's "aud" claim is not accepted: /],
    ['signed with another secret', () => hs256({ key: new TextEncoder().encode('another-secret-of-at-least-thirty-two-c') }), 'the token signature is not valid'],
    ['without a gater claim', () => hs256({ claims: { gater: undefined } }), 'the token carries no "gater" claim'],
    ['with an unknown role', () => hs256({ claims: { gater: { role: 'root' } } }), "the token's gater.role must be one of reader, writer, consumer, admin"],
    ['whose stream scope is not a list', () => hs256({ claims: { gater: { role: 'writer', streams: 'acme-' } } }), "the token's gater.streams must be a list of strings"],
  ])('a token %s is UNAUTHENTICATED, and nothing is written', async (_case, token, message) => {
    const response = await appendWith(await token());
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.message).toMatch(message);
    expect(response.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('limits a token to the stores and stream prefixes of its gater claim', async () => {
    const unscoped = callerClient(gw, await hs256());
    expect((await unscoped.gql(APPEND, { input: { streamId: 'globex-1', events: newEvents(1) } })).errors).toBeUndefined();
    const acme = callerClient(gw, await hs256({ claims: { gater: { role: 'writer', stores: ['default'], streams: ['acme-'] } } }));
    expect((await acme.gql(APPEND, { input: { streamId: 'acme-1', events: newEvents(2) } })).errors).toBeUndefined();

    const outside = await acme.gql(APPEND, { input: { streamId: 'globex-1', events: newEvents(1) } });
    expect(refusals(outside.errors)).toEqual([['FORBIDDEN', 'stream globex-1']]);
    const globex = await unscoped.gql<{ streamVersion: number }>('{ streamVersion(streamId: "globex-1") }');
    expect(globex.data?.streamVersion).toBe(0);

    const seen = await acme.gql<{ streams: { edges: { node: { id: string } }[] }; events: { edges: { node: { streamId: string } }[] } }>(
      '{ streams { edges { node { id } } } events(first: 100) { edges { node { streamId } } } }',
    );
    expect(seen.data?.streams.edges.map((edge) => edge.node.id)).toEqual(['acme-1']);
    expect(seen.data?.events.edges.map((edge) => edge.node.streamId)).toEqual(['acme-1', 'acme-1']);

    const elsewhere = callerClient(gw, await hs256({ claims: { gater: { role: 'reader', stores: ['other'] } } }));
    expect(refusals((await elsewhere.gql('{ streams { edges { cursor } } }')).errors)).toEqual([['FORBIDDEN', 'store default']]);
  });

  it('an unsigned token (alg: none) is UNAUTHENTICATED', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ gater: { role: 'admin' }, iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })).toString('base64url');
    const response = await appendWith(`${header}.${payload}.`);
    expect(refusals(response.errors)).toEqual([['UNAUTHENTICATED', undefined]]);
  });

  it('ends an SSE subscription when its token expires, with UNAUTHENTICATED', async () => {
    const token = await hs256({ exp: now() + 2 });
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription { byStream(streamId: "jwt-expiring-sse") { id } }' }),
      signal: AbortSignal.timeout(15_000),
    });
    expect(response.status).toBe(200);
    // The stream ends by itself once the token has expired: reading it to its end is the test.
    const body = await response.text();
    expect(body).toContain('"code":"UNAUTHENTICATED"');
    expect(body).toContain('the credential has expired');
  });

  it('ends a WebSocket when its token expires: closed with 4403', async () => {
    const token = await hs256({ exp: now() + 2 });
    const connection = await connectWs(gw, { connectionParams: { authorization: `Bearer ${token}` } });
    const live = connection.subscribe(BY_STREAM, { streamId: 'jwt-expiring' });
    await waitUntil(() => connection.closes.length > 0, 'the socket to close when its token expires', 10_000);
    expect(connection.closes).toEqual([{ code: 4403, reason: 'Forbidden: the credential has expired' }]);
    expect(live.done).toBe(true);
  });
});

describe('tokens signed with published keys (RS256, ES256 from a JWKS URL)', () => {
  let jwks: JwksServer;
  let rsa: SigningKey;
  let ec: SigningKey;
  let rotated: SigningKey;
  beforeAll(async () => {
    [rsa, ec, rotated] = await Promise.all([signingKey('rsa-1', 'RS256'), signingKey('ec-1', 'ES256'), signingKey('rsa-2', 'RS256')]);
    jwks = await startJwksServer([rsa, ec]);
  });
  afterAll(async () => {
    await jwks.close();
  });
  const gw = useGateway(() => ({ env: { GATER_JWT_JWKS_URL: jwks.url, GATER_JWT_JWKS_COOLDOWN_MS: '0' } }));
  const storesWith = async (token: string) => callerClient(gw, token).gql<{ stores: { id: string }[] }>('{ stores { id } }');

  it('accepts RS256 and ES256 tokens of published keys, fetching the key set once', async () => {
    expect((await storesWith(await signWith(rsa, { gater: { role: 'reader' } }))).data).toEqual({ stores: [{ id: 'default' }] });
    expect((await storesWith(await signWith(ec, { gater: { role: 'reader' } }))).data).toEqual({ stores: [{ id: 'default' }] });
    expect(jwks.fetches).toBe(1);
  });

  it('follows a key rotation: a token of a newly published key is accepted, one of a withdrawn key is not', async () => {
    const fresh = await signWith(rotated, { gater: { role: 'reader' } });
    expect(refusals((await storesWith(fresh)).errors)).toEqual([['UNAUTHENTICATED', undefined]]);
    jwks.publish([rotated]);
    expect((await storesWith(fresh)).data).toEqual({ stores: [{ id: 'default' }] });
    const withdrawn = await signWith(rsa, { gater: { role: 'reader' } });
    expect((await storesWith(withdrawn)).errors).toMatchObject([{ message: 'the token is signed with a key that is not published', extensions: { code: 'UNAUTHENTICATED' } }]);
  });

  it('refuses an HS256 token when only published keys are configured', async () => {
    const token = await new SignJWT({ gater: { role: 'admin' } }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(secretKey);
    expect(refusals((await storesWith(token)).errors)).toEqual([['UNAUTHENTICATED', undefined]]);
  });
});
