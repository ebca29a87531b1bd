import { createClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dataOf } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * A browser opens a WebSocket to any address and sends its page's Origin;
 * no CORS applies. So the upgrade on /graphql checks that Origin against the
 * same list as HTTP: other origins get 403 before any graphql-ws message.
 */
const ALLOWED = 'http://app.example';
const FOREIGN = 'http://evil.example';

const gw = useGateway({ env: { GATER_CORS_ORIGINS: ALLOWED } });
const wsUrlOf = () => gw.url.replace(/^http/, 'ws');

type Upgrade = { opened: true; socket: WebSocket } | { opened: false; status: number; body: string };

/** Opens a raw socket with this Origin (none when undefined) and says whether the upgrade was taken. */
function upgrade(origin: string | undefined): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrlOf(), 'graphql-transport-ws', origin === undefined ? {} : { origin });
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ opened: false, status: response.statusCode ?? 0, body }));
    });
    socket.once('error', reject);
  });
}

/** Runs one operation over graphql-ws from a page of this origin (none when undefined). */
async function runOverWs(origin: string | undefined, query: string): Promise<unknown> {
  class FromOrigin extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, origin === undefined ? {} : { origin });
    }
  }
  const client = createClient({ url: wsUrlOf(), webSocketImpl: FromOrigin, retryAttempts: 0 });
  try {
    return await new Promise((resolve, reject) => {
      let result: unknown;
      client.subscribe({ query }, { next: (value) => (result = value), error: reject, complete: () => resolve(result) });
    });
  } finally {
    await client.dispose();
  }
}

const appendTo = (streamId: string) => `mutation { appendEvents(input: { streamId: "${streamId}", events: [{ type: "Sent" }] }) { __typename } }`;

async function streamVersion(streamId: string): Promise<number> {
  return dataOf(await gw.gql<{ streamVersion: number }>(`{ streamVersion(streamId: "${streamId}") }`)).streamVersion;
}

describe('the upgrade on /graphql', () => {
  it.each([
    ['another origin', FOREIGN],
    ['an allowed host on another port', 'http://app.example:8080'],
    ['an opaque origin', 'null'],
  ])('from %s is refused with 403 before any graphql-ws message', async (_, origin) => {
    const answer = await upgrade(origin);
    expect(answer.opened).toBe(false);
    if (answer.opened) return;
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('GATER_CORS_ORIGINS');
  });

  it('from another origin cannot append: the graphql-ws client fails and nothing is written', async () => {
    await expect(runOverWs(FOREIGN, appendTo('ws-attack'))).rejects.toBeDefined();
    expect(await streamVersion('ws-attack')).toBe(-1);
  });

  it.each([
    ['an allowed origin', ALLOWED, 'ws-allowed'],
    ['the same origin (GraphiQL)', 'same', 'ws-same'],
    ['a client with no Origin (not a browser)', undefined, 'ws-service'],
  ])('from %s is taken, and its operations run', async (_, given, streamId) => {
    const origin = given === 'same' ? gw.origin : given;
    const answer = await upgrade(origin);
    expect(answer.opened).toBe(true);
    if (answer.opened) answer.socket.close();
    expect(await runOverWs(origin, appendTo(streamId))).toEqual({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    expect(await streamVersion(streamId)).toBe(0);
  });
});
