import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { anonymousCaller } from '../../src/access/caller.js';
import { useGraphQLWs } from '../../src/server/use-graphql-ws.js';
import { errorMasking } from '../../src/server/use-error-masking.js';

const schema = createSchema({
  typeDefs: `
    type Query { hello: String }
    type Subscription { ticks: Int }`,
  resolvers: {
    Query: { hello: () => 'world' },
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

interface Gateway {
  server: Server;
  url: string;
  logged: string[];
  stop(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const logged: string[] = [];
  const log = { info: () => undefined, warn: () => undefined, error: (message: string) => void logged.push(message) };
  const masking = errorMasking(log as never);
  const yoga = createYoga({ schema, maskedErrors: masking, logging: false, plugins: [buggyPlugin] });
  const server = createServer(yoga);
  const maskError = (error: Parameters<typeof masking.maskError>[0]) => masking.maskError(error, 'Unexpected error.');
  const authenticator = { authenticate: () => ({ caller: anonymousCaller('admin') }) };
  const webSockets = useGraphQLWs(server, yoga as never, maskError, authenticator);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `ws://127.0.0.1:${port}/graphql`,
    logged,
    async stop() {
      await webSockets.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function query(client: Client, document: string): Promise<{ data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const operationName = /^query (\w+)/.exec(document)?.[1];
  return new Promise((resolve, reject) => {
    let answer: unknown;
    client.subscribe({ query: document, operationName }, { next: (result) => (answer = result), error: reject, complete: () => resolve(answer as never) });
  });
}

/** A client that holds its socket open until disposed, noting the codes it was closed with. */
function connect(url: string, closes: number[]): Client {
  return createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, on: { closed: (event) => void closes.push((event as { code: number }).code) } });
}

describe('an operation that fails outside its resolvers, over graphql-ws', () => {
  let gateway: Gateway | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.dispose();
    await gateway?.stop();
  });

  it.each(['Throws', 'Rejects'])('answers a hook that %s with a masked error and keeps the socket and its other operations', async (name) => {
    gateway = await startGateway();
    const closes: number[] = [];
    client = connect(gateway.url, closes);
    const ticks: number[] = [];
    client.subscribe({ query: 'subscription { ticks }' }, { next: (result) => void ticks.push((result.data as { ticks: number }).ticks), error: () => undefined, complete: () => undefined });
    await expect(query(client, '{ hello }')).resolves.toEqual({ data: { hello: 'world' } });

    const failed = await query(client, `query ${name} { hello }`);

    expect(failed).toEqual({ errors: [expect.objectContaining({ message: 'Unexpected error.' })] });
    expect(JSON.stringify(failed)).not.toContain('secret');
    expect(gateway.logged).toEqual([expect.stringContaining('unexpected error')]);
    const ticksThen = ticks.length;
    await expect(query(client, '{ hello }')).resolves.toEqual({ data: { hello: 'world' } });
    await expect.poll(() => ticks.length).toBeGreaterThan(ticksThen + 2);
    expect(closes).toEqual([]);
  });

  it('refuses an operation whose context cannot be built with a masked error and keeps the socket', async () => {
    gateway = await startGateway();
    const closes: number[] = [];
    client = connect(gateway.url, closes);

    const refused = query(client, 'query NoContext { hello }');

    await expect(refused).rejects.toEqual([expect.objectContaining({ message: 'Unexpected error.' })]);
    await expect(query(client, '{ hello }')).resolves.toEqual({ data: { hello: 'world' } });
    expect(closes).toEqual([]);
    expect(gateway.logged).toEqual([expect.stringContaining('unexpected error')]);
  });
});
