import { createClient, type Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import WebSocket from 'ws';
import type { Gateway } from '../../src/gateway.js';
import type { EventView } from './queries.js';
import type { GraphQLErrorBody, GraphQLResponse, TestGateway, TestGatewayOptions } from './test-gateway.js';
import { useGateway } from './use-gateway.js';

/** How long a test waits for something the server should do soon, before it fails. */
export const WAIT_MS = 15_000;

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Live subscriptions the gateway runs right now, of every kind. */
export function activeSubscriptions(gateway: Gateway): number {
  return Object.values(gateway.live.gauges().subscriptions).reduce((sum, count) => sum + count, 0);
}

/** Waits until the gateway holds no live subscription and no tailer. */
export async function waitForNoLiveResources(gateway: Gateway, timeoutMs = WAIT_MS): Promise<void> {
  await waitUntil(
    () => activeSubscriptions(gateway) === 0 && gateway.live.gauges().tailers === 0,
    `no live subscriptions and no tailers (now ${JSON.stringify(gateway.live.gauges())})`,
    timeoutMs,
  );
}

/**
 * Starts a live subscription and waits until the gateway runs it, so that
 * whatever is appended from then on is "after it started". Only for one
 * subscription starting at a time on the gateway.
 */
export async function startActive<C extends Collected<unknown>>(gateway: Gateway, start: () => C): Promise<C> {
  const before = activeSubscriptions(gateway);
  const collected = start();
  await waitUntil(() => activeSubscriptions(gateway) > before || collected.done, 'the gateway to start the subscription');
  if (collected.errors.length > 0) throw new Error(`the subscription failed: ${JSON.stringify(collected.errors)}`);
  return collected;
}

/** One subscription's results as they arrive (over graphql-ws or SSE). */
export interface Collected<T> {
  /** The root field's value of every result that came without errors, in arrival order. */
  readonly events: T[];
  /** Errors of results, and of the operation's failure. */
  readonly errors: GraphQLErrorBody[];
  /** True once the server completed the operation or it failed. */
  readonly done: boolean;
  /** Waits until `count` events arrived (no more are waited for), and answers them. */
  waitForEvents(count: number, timeoutMs?: number): Promise<T[]>;
  /** Waits until the operation failed, and answers its errors. */
  waitForErrors(timeoutMs?: number): Promise<GraphQLErrorBody[]>;
  /** Tells the server to stop the operation. */
  unsubscribe(): void;
}

/** Collects a subscription's results; the transport feeds it. */
export class Collector<T> implements Collected<T> {
  readonly events: T[] = [];
  readonly errors: GraphQLErrorBody[] = [];
  done = false;

  constructor(
    readonly unsubscribe: () => void,
    /** Called with each event as it arrives. */
    private readonly onEvent?: (event: T) => void,
  ) {}

  /** One `next` result: an event, or errors. */
  result(result: { data?: Record<string, unknown> | null; errors?: readonly unknown[] }): void {
    if (result.errors?.length) this.errors.push(...(result.errors as GraphQLErrorBody[]));
    else if (result.data) {
      const event = Object.values(result.data)[0] as T;
      this.events.push(event);
      this.onEvent?.(event);
    }
  }

  fail(errors: GraphQLErrorBody[]): void {
    this.errors.push(...errors);
    this.done = true;
  }

  complete(): void {
    this.done = true;
  }

  async waitForEvents(count: number, timeoutMs?: number): Promise<T[]> {
    await waitUntil(() => this.events.length >= count || this.errors.length > 0, `${count} events (got ${this.events.length})`, timeoutMs);
    if (this.errors.length > 0) throw new Error(`the subscription failed: ${JSON.stringify(this.errors)}`);
    return this.events.slice(0, count);
  }

  async waitForErrors(timeoutMs?: number): Promise<GraphQLErrorBody[]> {
    await waitUntil(() => this.errors.length > 0, 'the subscription to fail', timeoutMs);
    return this.errors;
  }
}

export interface WsConnection {
  client: Client;
  /** The raw WebSocket of the connection (after `connectWs` resolved). */
  socket: WebSocket;
  /** Close events the client saw. */
  readonly closes: { code: number; reason: string }[];
  /** Starts an operation and collects its results. */
  subscribe<T>(query: WsOperation, variables?: Record<string, unknown>, onEvent?: (event: T) => void): Collected<T>;
  /** Starts a live subscription and waits until the gateway runs it (see `startActive`). */
  subscribeActive<T>(query: WsOperation, variables?: Record<string, unknown>): Promise<Collected<T>>;
  /** Stops every operation started on this connection that is still running. */
  unsubscribeAll(): void;
  /** Closes the connection normally. */
  dispose(): Promise<void>;
}

/**
 * What a Subscribe message carries: a query, or the whole payload (a persisted document's id
 * in `extensions` or `documentId`, with an empty query).
 */
export type WsOperation = string | { query: string; extensions?: Record<string, unknown>; documentId?: string };

const payloadOf = (operation: WsOperation, variables?: Record<string, unknown>) =>
  typeof operation === 'string' ? { query: operation, variables } : { ...operation, variables };

/** Runs one query or mutation over graphql-ws: its one result, or the errors it failed with. */
export function askOverWs<T = Record<string, unknown>>(client: Client, query: WsOperation, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  return new Promise((resolve, reject) => {
    let result: GraphQLResponse<T> = {};
    client.subscribe(
      payloadOf(query, variables),
      {
        next: (value) => (result = value as GraphQLResponse<T>),
        error: (failure) => (Array.isArray(failure) ? resolve({ errors: failure as GraphQLErrorBody[] }) : reject(new Error(`the operation failed: ${JSON.stringify(failure)}`))),
        complete: () => resolve(result),
      },
    );
  });
}

function graphqlErrorsOf(failure: unknown): GraphQLErrorBody[] {
  if (Array.isArray(failure)) return failure as GraphQLErrorBody[];
  if (failure instanceof Error) return [{ message: failure.message }];
  const close = failure as { code?: number; reason?: string };
  return [{ message: `connection closed: ${close.code ?? '?'} ${close.reason ?? ''}` }];
}

/**
 * A graphql-ws client on its own socket to a test gateway; it never
 * reconnects, so a drop shows. `connectionParams` go with its ConnectionInit
 * (a credential, say); a refused connection rejects with its close event.
 */
export async function connectWs(
  gw: Pick<TestGateway, 'url' | 'gateway'>,
  { connectionParams }: { connectionParams?: Record<string, unknown> } = {},
): Promise<WsConnection> {
  const sockets: WebSocket[] = [];
  class TrackedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      sockets.push(this);
    }
  }
  const closes: { code: number; reason: string }[] = [];
  let connected!: () => void;
  let failed!: (error: unknown) => void;
  const connecting = new Promise<void>((resolve, reject) => {
    connected = resolve;
    failed = reject;
  });
  const client = createClient({
    url: gw.url.replace(/^http/, 'ws'),
    webSocketImpl: TrackedWebSocket,
    lazy: false,
    connectionParams,
    retryAttempts: 0,
    shouldRetry: () => false,
    onNonLazyError: (error) => failed(error),
    on: {
      connected: () => connected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason: String(reason) });
      },
    },
  });
  await connecting;
  const running = new Set<Collected<unknown>>();

  function subscribe<T>(query: WsOperation, variables?: Record<string, unknown>, onEvent?: (event: T) => void): Collected<T> {
    let stop: () => void = () => undefined;
    const collector = new Collector<T>(() => {
      running.delete(collector);
      stop();
    }, onEvent);
    running.add(collector);
    stop = client.subscribe<Record<string, unknown>>(
      payloadOf(query, variables),
      {
        next: (result) => collector.result(result),
        error: (failure) => {
          running.delete(collector);
          collector.fail(graphqlErrorsOf(failure));
        },
        complete: () => {
          running.delete(collector);
          collector.complete();
        },
      },
    );
    return collector;
  }

  return {
    client,
    socket: sockets[sockets.length - 1]!,
    closes,
    subscribe,
    subscribeActive<T>(query: WsOperation, variables?: Record<string, unknown>) {
      return startActive(gw.gateway, () => subscribe<T>(query, variables));
    },
    unsubscribeAll: () => running.forEach((collected) => collected.unsubscribe()),
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** A subscription and the events it must deliver, in order. */
export type Expectation = [sub: Collected<EventView>, expected: EventView[]];

/**
 * Expects each subscription to deliver exactly its events, in order: waits
 * for them, then appends a marker event every one of them also selects and
 * expects it next, so a duplicate or an unwanted event delivered in between
 * would show.
 */
export async function expectExactly(appendMarker: () => Promise<EventView[]>, ...expectations: Expectation[]): Promise<void> {
  for (const [sub, expected] of expectations) expect(await sub.waitForEvents(expected.length)).toEqual(expected);
  const marker = await appendMarker();
  for (const [sub, expected] of expectations) {
    await sub.waitForEvents(expected.length + marker.length);
    expect(sub.events.map((event) => event.id)).toEqual([...expected, ...marker].map((event) => event.id));
  }
}

/** A test file's gateway and its graphql-ws connections. */
export interface LiveGateway {
  readonly gw: TestGateway;
  /** A connection opened before the file's tests. */
  readonly ws: WsConnection;
  /** Opens another connection; it is closed after the file's tests. */
  connect(): Promise<WsConnection>;
}

/**
 * Registers the hooks of a test file about live subscriptions: a gateway and
 * one connection before all tests; after each test, its subscriptions ended
 * and the gateway back to no live resources (unless `keepSubscriptions`);
 * everything stopped after all.
 */
export function useLiveGateway({ keepSubscriptions = false, ...options }: TestGatewayOptions & { keepSubscriptions?: boolean } = {}): LiveGateway {
  const gw = useGateway(options);
  let ws: WsConnection | undefined;
  const connections: WsConnection[] = [];
  const fixture: LiveGateway = {
    gw,
    get ws() {
      return ws!;
    },
    async connect() {
      const connection = await connectWs(gw);
      connections.push(connection);
      return connection;
    },
  };
  beforeAll(async () => {
    ws = await fixture.connect();
  });
  if (!keepSubscriptions) {
    afterEach(async () => {
      for (const connection of connections) connection.unsubscribeAll();
      await waitForNoLiveResources(gw.gateway);
    });
  }
  afterAll(async () => {
    for (const connection of connections.splice(0)) await connection.dispose();
  });
  return fixture;
}
