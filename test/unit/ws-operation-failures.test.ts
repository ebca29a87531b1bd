import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError, GraphQLScalarType } from 'graphql';
import { createClient, type Client, type SubscribePayload } from 'graphql-ws';
import { createSchema, createYoga, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { anonymousCaller } from '../../src/access/caller.js';
import { fullLogger, type LogFields } from '../../src/log.js';
import { InFlight } from '../../src/server/in-flight.js';
import { useGraphQLWs } from '../../src/server/use-graphql-ws.js';
import { errorMasking } from '../../src/server/use-error-masking.js';

/** A value nested deeper than JSON.stringify can go. */
function nestedTooDeep(): unknown {
  let value: unknown = 0;
  for (let depth = 0; depth < 200_000; depth++) value = [value];
  return value;
}

const schema = createSchema({
  typeDefs: `
    scalar Any
    type Query { hello: String, deep: Any }
    type Subscription { ticks: Int }`,
  resolvers: {
    Any: new GraphQLScalarType({ name: 'Any', serialize: (value) => value }),
    Query: { hello: () => 'world', deep: nestedTooDeep },
    Subscription: {
      ticks: {
        async *subscribe() {
          for (let tick = 1; ; tick++) {
            yield { ticks: tick };
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        },
      },
    },
  },
});

/** A plugin with bugs: its hooks throw for the operations named after them, with a message no client should see. */
const buggyPlugin: Plugin = {
  onContextBuilding({ context }) {
    if ((context as { params?: { operationName?: string } }).params?.operationName === 'NoContext') throw new Error('secret: the context hook broke');
  },
  onExecute({ args }) {
    if (args.operationName === 'Throws') throw new Error('secret: the execute hook broke');
    if (args.operationName === 'Rejects') return Promise.reject(new Error('secret: the execute hook rejected')) as never;
  },
};

/** A persisted-document lookup that refuses one name as a client's mistake and fails on another with a bug. */
async function resolveParams(params: SubscribePayload): Promise<GraphQLParams> {
  if (params.operationName === 'Unlisted') throw new GraphQLError('not in the list', { extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } });
  if (params.operationName === 'LookupBroke') throw new Error('secret: the lookup broke');
  return params as GraphQLParams;
}

interface Line {
  message: string;
  fields?: LogFields;
}

interface Gateway {
  url: string;
  errors: Line[];
  inFlight: InFlight;
  stop(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const errors: Line[] = [];
  const log = fullLogger({ info: () => undefined, warn: () => undefined, error: (message, _cause, fields) => void errors.push({ message, fields }) });
  const masking = errorMasking(log);
  const yoga = createYoga({ schema, maskedErrors: masking, logging: false, plugins: [buggyPlugin] });
  const server = createServer(yoga);
  const maskError = (error: GraphQLError) => masking.maskError(error, 'Unexpected error.');
  const authenticator = { authenticate: () => ({ caller: anonymousCaller('admin') }) };
  const inFlight = new InFlight();
  const webSockets = useGraphQLWs(server, yoga as never, maskError, authenticator, { inFlight, resolveParams, operationLog: { log, masking } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    errors,
    inFlight,
    async stop() {
      await webSockets.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A client that holds its socket open until disposed, noting the codes it was closed with. */
function connect(url: string, closes: number[]): Client {
  return createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, on: { closed: (event) => void closes.push((event as { code: number }).code) } });
}

interface Answer {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The one result of a query or mutation; rejects with the errors of an operation refused before it ran. */
function query(client: Client, document: string): Promise<Answer> {
  const operationName = /^query (\w+)/.exec(document)?.[1];
  return new Promise((resolve, reject) => {
    let answer: unknown;
    client.subscribe({ query: document, operationName }, { next: (result) => (answer = result), error: reject, complete: () => resolve(answer as Answer) });
  });
}

const UNEXPECTED = { message: 'Unexpected error.', extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR' }) };

let gateway: Gateway | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.dispose();
  await gateway?.stop();
  client = undefined;
  gateway = undefined;
});

describe('an operation that fails outside its resolvers, over graphql-ws', () => {

  /** Runs `fail` on a socket that also runs a subscription and a query; answers what `fail` gave, once the socket proved it carries on. */
  async function failBesideOthers(fail: (client: Client) => Promise<unknown>): Promise<unknown> {
    gateway = await startGateway();
    const closes: number[] = [];
    client = connect(gateway.url, closes);
    const ticks: number[] = [];
    client.subscribe({ query: 'subscription { ticks }' }, { next: (result) => void ticks.push((result.data as { ticks: number }).ticks), error: () => undefined, complete: () => undefined });
    await expect(query(client, '{ hello }')).resolves.toEqual({ data: { hello: 'world' } });

    const failed = await fail(client).catch((errors: unknown) => ({ refused: errors }));

    const ticksThen = ticks.length;
    await expect(query(client, '{ hello }')).resolves.toEqual({ data: { hello: 'world' } });
    await expect.poll(() => ticks.length).toBeGreaterThan(ticksThen + 2);
    expect(closes).toEqual([]);
    expect(JSON.stringify(failed)).not.toContain('secret');
    return failed;
  }

  it.each(['Throws', 'Rejects'])('answers an execute hook that %s with a masked error, logged with the operation, and keeps the socket', async (name) => {
    const failed = await failBesideOthers((client) => query(client, `query ${name} { hello }`));

    expect(failed).toEqual({ errors: [UNEXPECTED] });
    expect(gateway!.errors).toEqual([{ message: expect.stringContaining('unexpected error'), fields: expect.objectContaining({ requestId: expect.any(String), operation: name }) }]);
    await expect.poll(() => gateway!.inFlight.count).toBe(0);
  });

  it('answers a query whose result cannot be serialised with a masked error and keeps the socket', async () => {
    const failed = await failBesideOthers((client) => query(client, 'query Deep { deep }'));

    expect(failed).toEqual({ errors: [UNEXPECTED] });
    expect(gateway!.errors).toHaveLength(1);
  });

  it.each(['NoContext', 'LookupBroke'])('refuses an operation that fails before it runs (%s) with a masked error, logged with its request id, and keeps the socket', async (name) => {
    const failed = await failBesideOthers((client) => query(client, `query ${name} { hello }`));

    expect(failed).toEqual({ refused: [UNEXPECTED] });
    expect(gateway!.errors).toEqual([{ message: expect.stringContaining('unexpected error'), fields: expect.objectContaining({ requestId: expect.any(String) }) }]);
    await expect.poll(() => gateway!.inFlight.count).toBe(0);
  });

  it('refuses a persisted document the lookup refuses with its own error, unmasked', async () => {
    const failed = await failBesideOthers((client) => query(client, 'query Unlisted { hello }'));

    expect(failed).toEqual({ refused: [{ message: 'not in the list', extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }] });
    expect(gateway!.errors).toEqual([]);
  });

  it.each(['next', 'error', 'connection_ack'])('closes a socket that sends a %s message, which only a server sends, as an invalid message, with nothing on the console', async (type) => {
    gateway = await startGateway();
    const console = vi.spyOn(globalThis.console, 'error');
    const socket = new WebSocket(gateway.url, 'graphql-transport-ws');
    const closed = new Promise<[number, string]>((resolve) => socket.once('close', (code, reason) => resolve([code, reason.toString()])));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));

    socket.send(JSON.stringify(type === 'connection_ack' ? { type } : { type, id: '1', payload: type === 'error' ? [{ message: 'x' }] : {} }));

    await expect(closed).resolves.toEqual([4400, 'Invalid message received']);
    expect(console).not.toHaveBeenCalled();
    console.mockRestore();
  });

  it('still reads a message that only mentions those types in its variables', async () => {
    gateway = await startGateway();
    const closes: number[] = [];
    client = connect(gateway.url, closes);
    const answer = await new Promise((resolve, reject) => {
      let result: unknown;
      client!.subscribe({ query: '{ hello }', variables: { type: 'next', other: 'connection_ack' } }, { next: (next) => (result = next), error: reject, complete: () => resolve(result) });
    });
    expect(answer).toEqual({ data: { hello: 'world' } });
    expect(closes).toEqual([]);
  });
});

describe('an operation refused before it runs, over graphql-ws', () => {

  /** The errors an operation is refused with. */
  async function refusal(payload: SubscribePayload): Promise<unknown> {
    gateway ??= await startGateway();
    client ??= connect(gateway.url, []);
    return new Promise((resolve, reject) => client!.subscribe(payload, { next: reject, error: resolve, complete: () => reject(new Error('completed')) }));
  }

  it('names what went wrong with the code HTTP gives it, and no HTTP status', async () => {
    await expect(refusal({ query: 'query A { hello } query B { hello }', operationName: 'C' })).resolves.toEqual([
      { message: 'Could not determine what operation to execute.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
    ]);
    await expect(refusal({ query: 'query A { hello } query B { hello }' })).resolves.toEqual([
      { message: 'Could not determine what operation to execute.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
    ]);
    await expect(refusal({ query: '{ hello' })).resolves.toEqual([
      { message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 8 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
    ]);
    const [invalid] = (await refusal({ query: '{ nope }' })) as { message: string; extensions?: Record<string, unknown> }[];
    expect(invalid!.message).toBe('Cannot query field "nope" on type "Query".');
    expect(invalid!.extensions?.http).toBeUndefined();
  });
});
