import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { useGateway } from '../support/use-gateway.js';

/**
 * Answers that are ready in the same turn of the event loop are written
 * together: each must still reach the request it answers, and requests
 * pipelined on one connection are answered in the order they were sent.
 */
const gw = useGateway();

function postRequest(host: string, query: string): string {
  const body = JSON.stringify({ query });
  return `POST /graphql HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Reads `count` answers off the socket; their bodies, in the order they came. */
async function readBodies(socket: net.Socket, count: number): Promise<unknown[]> {
  let received = '';
  socket.setEncoding('utf8');
  const bodies: unknown[] = [];
  for await (const chunk of socket as AsyncIterable<string>) {
    received += chunk;
    for (;;) {
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) break;
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(received.slice(0, headEnd))?.[1]);
      if (received.length < headEnd + 4 + length) break;
      bodies.push(JSON.parse(received.slice(headEnd + 4, headEnd + 4 + length)));
      received = received.slice(headEnd + 4 + length);
    }
    if (bodies.length >= count) break;
  }
  return bodies;
}

describe('POST /graphql answers', () => {
  it('answers requests pipelined on one connection in the order they were sent, though a later one is ready first', async () => {
    const { host, port } = new URL(gw.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    try {
      // The first reads the database; the second is answered from memory, so it is ready before the first.
      const queries = ['{ first: stores { id eventCount } }', '{ second: __typename }', '{ third: stores { id } }', '{ fourth: __typename }'];
      socket.write(queries.map((query) => postRequest(host, query)).join(''));
      expect(await readBodies(socket, queries.length)).toEqual([
        { data: { first: [{ id: 'default', eventCount: 0 }] } },
        { data: { second: 'Query' } },
        { data: { third: [{ id: 'default' }] } },
        { data: { fourth: 'Query' } },
      ]);
    } finally {
      socket.destroy();
    }
  });

  it('gives each of many concurrent requests its own answer', async () => {
    const asked = Array.from({ length: 64 }, (_, index) => (index % 2 === 0 ? `{ r${index}: __typename }` : `{ r${index}: streamVersion(streamId: "s-${index}") }`));
    const answers = await Promise.all(
      asked.map(async (query) => {
        const response = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        expect(response.status).toBe(200);
        return (await response.json()) as { data: Record<string, unknown> };
      }),
    );
    answers.forEach((answer, index) => expect(answer).toEqual({ data: { [`r${index}`]: index % 2 === 0 ? 'Query' : -1 } }));
  });
});
