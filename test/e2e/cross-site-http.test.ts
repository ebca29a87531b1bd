import { beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * What a page of another origin can make a browser send to the gateway over
 * HTTP without a CORS preflight (form posts, "simple" fetches, GETs that an
 * <img> makes) is refused before it runs, on yoga's path and on the fast
 * POST path alike; pages of an allowed origin, the gateway's own page and
 * clients that are not browsers work.
 */
const ALLOWED = 'http://app.example';
const FOREIGN = 'http://evil.example';

const SAVE_ATTACK = 'mutation { saveSubscription(input: { name: "attack", type: BY_STREAM, selector: "attack" }) { name } }';
const APPEND_ATTACK = 'mutation { appendEvents(input: { streamId: "attack", events: [{ type: "Forged" }] }) { __typename } }';
const REMOVE_ATTACK = 'mutation { removeSubscription(name: "kept") }';

const gw = useGateway({ env: { GATER_CORS_ORIGINS: `${ALLOWED},http://other.example` } });
beforeAll(async () => {
  dataOf(await gw.gql('mutation { saveSubscription(input: { name: "kept", type: BY_STREAM, selector: "kept" }) { name } }'));
});

interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

async function send(url: string, init: RequestInit): Promise<Answer & { headers: Headers }> {
  const response = await fetch(url, init);
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text(), headers: response.headers };
}

const answerOf = ({ status, contentType, body }: Answer): Answer => ({ status, contentType, body });

/** The same body as one stream of unknown length: never taken by the fast POST path. */
function chunked(body: string | FormData | Blob): { body: ReadableStream<Uint8Array>; duplex: 'half'; headers: Record<string, string> } {
  const request = new Request('http://x/', { method: 'POST', body });
  const headers: Record<string, string> = {};
  const type = request.headers.get('content-type');
  if (type) headers['content-type'] = type;
  return { body: request.body!, duplex: 'half', headers };
}

async function expectNothingWritten(): Promise<void> {
  const data = dataOf(await gw.gql<{ stream: { exists: boolean }; persistentSubscriptions: { name: string }[] }>(
    '{ stream(id: "attack") { exists } persistentSubscriptions { name } }',
  ));
  expect(data.stream.exists).toBe(false);
  expect(data.persistentSubscriptions.map((subscription) => subscription.name)).toEqual(['kept']);
}

function expectForbidden(answer: Answer, mentions: RegExp): void {
  expect(answer.status).toBe(403);
  const body = JSON.parse(answer.body) as { data?: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]!.extensions).toEqual({ code: 'FORBIDDEN' });
  expect(body.errors[0]!.message).toMatch(mentions);
}

const form = (query: string) => new URLSearchParams({ query }).toString();
const multipart = (query: string) => {
  const data = new FormData();
  data.set('operations', JSON.stringify({ query }));
  data.set('map', '{}');
  return data;
};
// The classic JSON CSRF: a text/plain form whose one field name and value join into a JSON body.
const textPlainJson = (query: string) => `${JSON.stringify({ query, padding: '' }).slice(0, -2)}="}`;

interface Attack {
  headers: Record<string, string>;
  body: string | FormData | Blob;
  refusal: RegExp;
}

const attacks: Record<string, Attack> = {
  'a form post (urlencoded) of saveSubscription from another origin': {
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: FOREIGN },
    body: form(SAVE_ATTACK),
    refusal: /evil\.example.*GATER_CORS_ORIGINS/,
  },
  'a form post (urlencoded) of removeSubscription with no Origin (an old browser, or curl -d)': {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form(REMOVE_ATTACK),
    refusal: /application\/x-www-form-urlencoded/,
  },
  'a multipart form post of appendEvents': {
    headers: {},
    body: multipart(APPEND_ATTACK),
    refusal: /multipart\/form-data/,
  },
  'a text/plain form post whose body is JSON, from an allowed origin': {
    headers: { 'content-type': 'text/plain', origin: ALLOWED },
    body: textPlainJson(APPEND_ATTACK),
    refusal: /text\/plain/,
  },
  'a text/plain post that names application/json in a parameter': {
    headers: { 'content-type': 'text/plain; charset=application/json' },
    body: JSON.stringify({ query: APPEND_ATTACK }),
    refusal: /text\/plain/,
  },
  'a post with no content type (a fetch of a Blob without a type)': {
    headers: {},
    body: new Blob([JSON.stringify({ query: APPEND_ATTACK })]),
    refusal: /no content-type/,
  },
  'a JSON post from another origin': {
    headers: { 'content-type': 'application/json', origin: FOREIGN },
    body: JSON.stringify({ query: APPEND_ATTACK }),
    refusal: /evil\.example/,
  },
  'a JSON post from an opaque origin (a sandboxed frame, a file:// page)': {
    headers: { 'content-type': 'application/json', origin: 'null' },
    body: JSON.stringify({ query: APPEND_ATTACK }),
    refusal: /null/,
  },
  'a JSON post that another site embeds without an Origin (Sec-Fetch-Site: cross-site)': {
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    body: JSON.stringify({ query: APPEND_ATTACK }),
    refusal: /other sites/,
  },
};

describe.each(Object.entries(attacks))('%s', (_, attack) => {
  it('is refused with 403 FORBIDDEN, the same with a stated length (the fast path\'s condition) as streamed to yoga, and writes nothing', async () => {
    const withLength = await send(gw.url, { method: 'POST', headers: attack.headers, body: attack.body });
    const streamed = chunked(attack.body);
    const withoutLength = await send(gw.url, { method: 'POST', body: streamed.body, duplex: streamed.duplex, headers: { ...streamed.headers, ...attack.headers } } as RequestInit);
    expectForbidden(withLength, attack.refusal);
    expect(answerOf(withoutLength)).toEqual(answerOf(withLength));
    expect(withLength.headers.get('access-control-allow-origin')).toBe(attack.headers.origin === ALLOWED ? ALLOWED : null);
    await expectNothingWritten();
  });
});

describe('GET', () => {
  const get = (query: string, headers: Record<string, string> = {}) =>
    send(`${gw.url}?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json', ...headers } });

  it('a mutation is refused over GET (405) even from a client that is not a browser, and writes nothing', async () => {
    const answer = await get(APPEND_ATTACK);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(JSON.parse(answer.body).errors[0].message).toMatch(/mutation.*POST/);
    expect((await get(APPEND_ATTACK, { origin: ALLOWED })).status).toBe(405);
    expectForbidden(await get(APPEND_ATTACK, { origin: FOREIGN }), /evil\.example/);
    await expectNothingWritten();
  });

  it('a query from another origin (a "simple" cross-origin fetch) is refused', async () => {
    const answer = await get('{ stores { id } }', { origin: FOREIGN, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' });
    expectForbidden(answer, /evil\.example/);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a query that another site embeds (an <img>: no Origin, Sec-Fetch-Site: cross-site) is refused', async () => {
    expectForbidden(await get('{ stores { id } }', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' }), /other sites/);
  });

  it('a link from another site to GraphiQL still opens it', async () => {
    const answer = await send(`${gw.url}?query=${encodeURIComponent('{ stores { id } }')}`, {
      headers: { accept: 'text/html', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
    });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/html/);
  });

  it('a query from a client that is not a browser, or from the same origin, runs', async () => {
    expect(JSON.parse((await get('{ stores { id } }')).body)).toEqual({ data: { stores: [{ id: 'default' }] } });
    const sameOrigin = await get('{ stores { id } }', { origin: gw.origin, 'sec-fetch-site': 'same-origin' });
    expect(JSON.parse(sameOrigin.body)).toEqual({ data: { stores: [{ id: 'default' }] } });
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    send(gw.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });

  it('a preflight from an allowed origin allows POST with credentials and the Authorization header', async () => {
    const { status, headers } = await preflight(ALLOWED);
    expect(status).toBe(204);
    expect(headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(headers.get('access-control-allow-credentials')).toBe('true');
    expect(headers.get('access-control-allow-methods')).toContain('POST');
    expect(headers.get('access-control-allow-headers')).toContain('authorization');
    expect(headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('a preflight from any other origin allows nothing', async () => {
    for (const origin of [FOREIGN, 'http://app.example:8080', 'https://app.example', 'null']) {
      const { headers } = await preflight(origin);
      for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers']) {
        expect(headers.get(name), `${name} for ${origin}`).toBeNull();
      }
    }
  });

  it('the actual request from an allowed origin runs and its answer is readable there', async () => {
    const answer = await send(gw.url, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: 'Bearer anything', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ query: 'mutation { appendEvents(input: { streamId: "from-app", events: [{ type: "Sent" }] }) { __typename } }' }),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
    expect(dataOf(await gw.gql<{ stream: { version: number } }>('{ stream(id: "from-app") { version } }')).stream.version).toBe(0);
  });

  it("the gateway's own page (GraphiQL) posts JSON from the same origin without CORS headers", async () => {
    const answer = await send(gw.url, {
      method: 'POST',
      headers: { origin: gw.origin, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ query: '{ stores { id } }' }),
    });
    expect(JSON.parse(answer.body)).toEqual({ data: { stores: [{ id: 'default' }] } });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a client that is not a browser posts JSON as before, on the fast path, with no CORS headers', async () => {
    const answer = await send(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ stores { id } }' }) });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"data":{"stores":[{"id":"default"}]}}');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

it('a gateway without GATER_CORS_ORIGINS answers no origin but its own', async () => {
  const bare = await startTestGateway({ databaseUrl: gw.databaseUrl });
  try {
    const preflight = await send(bare.url, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const post = (origin: string) =>
      send(bare.url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ stores { id } }' }) });
    expectForbidden(await post(ALLOWED), /app\.example/);
    expect((await post(bare.origin)).status).toBe(200);
  } finally {
    await bare.stop({ keepDatabase: true });
  }
});
