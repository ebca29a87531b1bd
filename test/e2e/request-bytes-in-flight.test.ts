import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { APPEND } from '../support/queries.js';
import { scrapeMetrics } from '../support/metrics.js';
import { rawWs, type RawWs } from '../support/raw-ws.js';
import { readStream } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const KIB = 1024;
const gw = useGateway({
  env: { GATER_MAX_BODY_BYTES: String(64 * KIB), GATER_MAX_WS_MESSAGE_BYTES: String(64 * KIB), GATER_MAX_REQUEST_BYTES_IN_FLIGHT: String(128 * KIB) },
});

/** An append of one event to `streamId`, padded to `bytes` of JSON. */
function appendBody(streamId: string, bytes: number): string {
  const body = (pad: string) => JSON.stringify({ query: APPEND, variables: { input: { streamId, events: [{ type: 'Padded', data: { pad } }] } } });
  const body0 = body('');
  return body('x'.repeat(bytes - Buffer.byteLength(body0)));
}

/** Connections a test opened by hand, closed after it. */
const opened: { close(): void }[] = [];

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/** A request written by hand on its own socket, so that its body can stop short of its end. */
class RawRequest {
  private readonly socket: net.Socket;
  private received = '';
  readonly answer: Promise<RawAnswer>;
  /** Settles once what was sent is in the kernel's hands. */
  readonly written: Promise<void>;

  constructor(url: string, head: string, firstBytes: string) {
    const { hostname, port } = new URL(url);
    this.socket = net.connect(Number(port), hostname);
    this.written = new Promise((resolve) => this.socket.write(head + firstBytes, () => resolve()));
    this.answer = new Promise((resolve, reject) => {
      this.socket.on('data', (chunk: Buffer) => {
        this.received += chunk.toString('utf8');
        const [headers, body] = this.received.split('\r\n\r\n', 2);
        const length = /content-length: (\d+)/i.exec(headers ?? '');
        if (body !== undefined && length && Buffer.byteLength(body) >= Number(length[1])) {
          resolve({ status: Number(headers!.split(' ')[1]), headers: headers!, body });
        }
      });
      this.socket.on('error', reject);
    });
  }

  /** Posts `body` with its length stated, all but its last `held` bytes. */
  static holding(url: string, body: string, held: number): { request: RawRequest; finish: () => void } {
    const head = `POST /graphql HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const request = new RawRequest(url, head, body.slice(0, body.length - held));
    return { request, finish: () => request.socket.write(body.slice(body.length - held)) };
  }

  /** Posts `body` in one chunk of no stated length, then ends it. */
  static chunked(url: string, body: string): RawRequest {
    const head = `POST /graphql HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    return new RawRequest(url, head, `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** What a client that waits for `100 Continue` before its body got: whether it was continued (and so sent the body), and the answer. */
interface ExpectingAnswer extends RawAnswer {
  continued: boolean;
  /** Settles when the gateway closes the connection. */
  closed: Promise<void>;
}

/** Posts `body` as curl does a large one: its head with `Expect: 100-continue`, and the body only once continued. */
function postExpectingContinue(url: string, body: string, statedLength = Buffer.byteLength(body)): Promise<ExpectingAnswer> {
  const { host, hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  opened.push({ close: () => socket.destroy() });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(`POST /graphql HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${statedLength}\r\nExpect: 100-continue\r\n\r\n`);
  return new Promise((resolve, reject) => {
    let received = '';
    let continued = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (!continued && received.startsWith('HTTP/1.1 100 ')) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        received = received.slice(end + 4);
        continued = true;
        socket.write(body);
      }
      const [headers, answerBody] = received.split('\r\n\r\n', 2);
      const length = /content-length: (\d+)/i.exec(headers ?? '');
      if (answerBody !== undefined && length && Buffer.byteLength(answerBody) >= Number(length[1])) {
        resolve({ continued, status: Number(headers!.split(' ')[1]), headers: headers!, body: answerBody, closed });
      }
    });
    socket.on('error', reject);
  });
}

/**
 * Waits until the gateway has the heads of these requests: their bytes were written before a
 * request of no body is sent and answered. Probes sent meanwhile would race them for the bound.
 */
async function arrived(requests: RawRequest[]): Promise<void> {
  await Promise.all(requests.map((request) => request.written));
  expect((await fetch(`${gw.url}?query=${encodeURIComponent('{ __typename }')}`)).status).toBe(200);
}

/** What /metrics says of the bytes being received: held now, the bound, and the refusals past it so far by transport. */
async function requestBytesMetrics(): Promise<{ held: number | undefined; max: number | undefined; http: number; websocket: number }> {
  const { samples } = await scrapeMetrics(new URL(gw.url).origin);
  return {
    held: samples.get('gater_request_bytes_in_flight'),
    max: samples.get('gater_request_bytes_in_flight_max'),
    http: samples.get('gater_request_bytes_refusals_total{transport="http"}') ?? Number.NaN,
    websocket: samples.get('gater_request_bytes_refusals_total{transport="websocket"}') ?? Number.NaN,
  };
}

const post = (body: string) => fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

afterEach(() => {
  for (const request of opened.splice(0)) request.close();
});

describe('HTTP bodies being received (GATER_MAX_REQUEST_BYTES_IN_FLIGHT)', () => {
  it('refuses a body that would pass the bound with 503, serves what fits, and loses nothing of the requests under way', async () => {
    const before = await requestBytesMetrics();
    expect(before).toMatchObject({ held: 0, max: 128 * KIB });
    // Two bodies of 60 KiB that stop one byte short: nearly 120 of the 128 KiB are held until they end.
    const held = ['held-1', 'held-2'].map((streamId) => RawRequest.holding(gw.url, appendBody(streamId, 60 * KIB), 1));
    opened.push(...held.map(({ request }) => request));
    await arrived(held.map(({ request }) => request));
    expect((await requestBytesMetrics()).held).toBe(2 * (60 * KIB - 1));

    const refusedBody = appendBody('refused', 20 * KIB);
    const refused = await post(refusedBody);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^the requests arriving hold up to 131072 bytes of bodies and messages.*retry shortly \(GATER_MAX_REQUEST_BYTES_IN_FLIGHT\)$/),
          extensions: { code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_REQUEST_BYTES_IN_FLIGHT' },
        },
      ],
    });

    // Nor does one of no stated length, sent in chunks.
    const chunked = RawRequest.chunked(gw.url, appendBody('chunked', 20 * KIB));
    opened.push(chunked);
    expect((await chunked.answer).status).toBe(503);
    expect(await requestBytesMetrics()).toMatchObject({ http: before.http + 2, websocket: before.websocket });

    // What fits in the 8 KiB left is served meanwhile, and so is a request with no body.
    const small = await post(appendBody('small', 4 * KIB));
    expect(await small.json()).toMatchObject({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    expect((await fetch(`${gw.url}?query=${encodeURIComponent('{ stores { id } }')}`)).status).toBe(200);

    for (const { finish } of held) finish();
    for (const { request } of held) {
      const answer = await request.answer;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    }

    // Answered, they hold nothing: the refused body is taken now.
    const retried = await post(refusedBody);
    expect(await retried.json()).toMatchObject({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    for (const streamId of ['held-1', 'held-2', 'small', 'refused']) expect(await readStream(gw, streamId)).toHaveLength(1);
    expect(await readStream(gw, 'chunked')).toEqual([]);
    expect((await requestBytesMetrics()).held).toBe(0);
  });

  it('counts what has arrived, not what a Content-Length promises', async () => {
    const promises = ['promised-1', 'promised-2'].map((streamId) => {
      const body = appendBody(streamId, 60 * KIB);
      return RawRequest.holding(gw.url, body, body.length - 10).request;
    });
    opened.push(...promises);
    await arrived(promises);
    const answer = await post(appendBody('past-promises', 20 * KIB));
    expect(await answer.json()).toMatchObject({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
  });

  it('answers a client that waits for 100 Continue at once when its body would be refused, so that it sends none', async () => {
    const held = ['continue-held-1', 'continue-held-2'].map((streamId) => RawRequest.holding(gw.url, appendBody(streamId, 60 * KIB), 1));
    opened.push(...held.map(({ request }) => request));
    await arrived(held.map(({ request }) => request));

    const refused = await postExpectingContinue(gw.url, appendBody('continue-refused', 20 * KIB));
    expect(refused).toMatchObject({ continued: false, status: 503 });
    expect(refused.headers).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(JSON.parse(refused.body)).toMatchObject({ errors: [{ extensions: { code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_REQUEST_BYTES_IN_FLIGHT' } }] });
    // It sent no body: the connection is closed, not left waiting for one.
    await refused.closed;

    // One that states more than a body may be is answered 413 without being continued, whatever is held.
    const tooLarge = await postExpectingContinue(gw.url, '', 65 * KIB);
    expect(tooLarge).toMatchObject({ continued: false, status: 413 });

    // What fits is continued, and stored.
    const small = await postExpectingContinue(gw.url, appendBody('continue-small', 4 * KIB));
    expect(small).toMatchObject({ continued: true, status: 200 });
    expect(JSON.parse(small.body)).toMatchObject({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });

    for (const { finish } of held) finish();
    for (const { request } of held) expect((await request.answer).status).toBe(200);
    const retried = await postExpectingContinue(gw.url, appendBody('continue-refused', 20 * KIB));
    expect(retried).toMatchObject({ continued: true, status: 200 });
    for (const streamId of ['continue-held-1', 'continue-held-2', 'continue-small', 'continue-refused']) expect(await readStream(gw, streamId)).toHaveLength(1);
  });

  it('gives back what a request held when its client goes away before its body ends', async () => {
    const probe = appendBody('probe', 20 * KIB);
    for (let round = 0; round < 3; round++) {
      const held = [`gone-${round}`, `gone-too-${round}`].map((streamId) => RawRequest.holding(gw.url, appendBody(streamId, 60 * KIB), 1).request);
      opened.push(...held);
      await arrived(held);
      expect((await post(probe)).status).toBe(503);
      for (const request of held) request.close();
      await expect.poll(async () => (await post(probe)).status).toBe(200);
    }
    for (let round = 0; round < 3; round++) expect(await readStream(gw, `gone-${round}`)).toEqual([]);
  });
});

/** A graphql-ws subscribe message of an append to `streamId`, padded to `bytes`. */
const subscribeMessage = (id: string, streamId: string, bytes: number) => `{"id":"${id}","type":"subscribe","payload":${appendBody(streamId, bytes - 40 - id.length)}}`;

/** Sends a message's first fragment, all of it but its last `held` characters, and answers how to send the rest. */
function sendHolding(socket: WebSocket, message: string, held: number): { written: Promise<void>; finish: () => void } {
  const written = new Promise<void>((resolve) => socket.send(message.slice(0, message.length - held), { fin: false }, () => resolve()));
  return { written, finish: () => socket.send(message.slice(message.length - held), { fin: true }) };
}

/** The operation `id`'s result on `socket`, once it completes. */
function resultOf(socket: WebSocket, id: string): Promise<unknown> {
  return new Promise((resolve) => {
    let result: unknown;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: string; type: string; payload?: unknown };
      if (message.id !== id) return;
      if (message.type === 'next') result = message.payload;
      if (message.type === 'complete' || message.type === 'error') resolve(result ?? message.payload);
    });
  });
}

describe('WebSocket messages being received, counted with the bodies', () => {
  const sockets: RawWs[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  it('closes with 1013 a socket whose message would pass the bound, takes in whole the messages of those that fit, and bodies wait for them', async () => {
    const [first, second, third] = await Promise.all([rawWs(gw.url), rawWs(gw.url), rawWs(gw.url)]);
    sockets.push(first!, second!, third!);
    const held = [first!, second!].map((ws, index) => {
      const message = subscribeMessage(`held-${index}`, `ws-held-${index}`, 60 * KIB);
      return { ws, result: resultOf(ws.socket, `held-${index}`), ...sendHolding(ws.socket, message, 10) };
    });
    await Promise.all(held.map(({ written }) => written));
    expect((await fetch(`${gw.url}?query=${encodeURIComponent('{ __typename }')}`)).status).toBe(200);

    const before = await requestBytesMetrics();
    expect((await post(appendBody('ws-refused', 20 * KIB))).status).toBe(503);
    const closed = new Promise<number>((resolve) => third!.socket.once('close', (code) => resolve(code)));
    sendHolding(third!.socket, subscribeMessage('third', 'ws-third', 20 * KIB), 10);
    expect(await closed).toBe(1013);
    expect(await requestBytesMetrics()).toMatchObject({ http: before.http + 1, websocket: before.websocket + 1 });

    for (const { finish } of held) finish();
    for (const { result } of held) expect(await result).toMatchObject({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    expect(first!.closes).toEqual([]);

    const retried = await post(appendBody('ws-refused', 20 * KIB));
    expect(await retried.json()).toMatchObject({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    for (const streamId of ['ws-held-0', 'ws-held-1', 'ws-refused']) expect(await readStream(gw, streamId)).toHaveLength(1);
    expect(await readStream(gw, 'ws-third')).toEqual([]);
  });

  it('gives back what a socket held when it closes before its message ends', async () => {
    const probe = appendBody('ws-probe', 20 * KIB);
    for (let round = 0; round < 3; round++) {
      const pair = await Promise.all([rawWs(gw.url), rawWs(gw.url)]);
      const sends = pair.map((ws, index) => sendHolding(ws.socket, subscribeMessage('gone', `ws-gone-${round}-${index}`, 60 * KIB), 10));
      await Promise.all(sends.map(({ written }) => written));
      expect((await fetch(`${gw.url}?query=${encodeURIComponent('{ __typename }')}`)).status).toBe(200);
      expect((await post(probe)).status).toBe(503);
      for (const ws of pair) ws.socket.terminate();
      await expect.poll(async () => (await post(probe)).status).toBe(200);
    }
  });
});
