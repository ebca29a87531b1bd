import { request } from 'node:http';
import { expect, it } from 'vitest';
import { useGateway } from '../support/use-gateway.js';
import WebSocket from 'ws';

const gw = useGateway();

/** A POST as a page served from `host` sends it once that name resolves to this machine: its own Host and Origin. */
function postAs(host: string, body: string): Promise<{ status: number; body: string }> {
  const url = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { host, origin: `http://${host}`, 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body: text }));
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

it('refuses a page whose host name was made to resolve to the loopback address, over HTTP and WebSocket, and writes nothing', async () => {
  const port = new URL(gw.url).port;
  const mutation = JSON.stringify({ query: 'mutation { appendEvents(input: { streamId: "rebound", events: [{ type: "T" }] }) { __typename } }' });
  const refused = await postAs(`rebind.attacker.example:${port}`, mutation);
  expect(refused.status).toBe(403);
  expect(JSON.parse(refused.body)).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });

  const upgrade = await new Promise<number>((resolve) => {
    const socket = new WebSocket(gw.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
      headers: { host: `rebind.attacker.example:${port}`, origin: `http://rebind.attacker.example:${port}` },
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode!));
    socket.on('open', () => resolve(101));
    socket.on('error', () => undefined);
  });
  expect(upgrade).toBe(403);

  const allowed = await postAs(`127.0.0.1:${port}`, JSON.stringify({ query: '{ streamVersion(streamId: "rebound") }' }));
  expect(JSON.parse(allowed.body)).toEqual({ data: { streamVersion: -1 } });
});
