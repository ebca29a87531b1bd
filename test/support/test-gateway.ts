import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from './database.js';
import {
  APPEND,
  EVENTS_PAGE,
  STORES,
  STREAM_PAGE,
  type AppendData,
  type AppendInput,
  type AppendResult,
  type EventView,
  type EventsPageData,
  type NewEventInput,
  type StoreView,
  type StoresData,
  type StreamPageData,
} from './queries.js';

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

export interface TestGatewayOptions {
  /** GATER_STORES; default one store, `default`. */
  stores?: string[];
  /** More environment for loadConfig (GATER_MAX_EVENT_BYTES and the like). */
  env?: Record<string, string>;
  /** Start on this existing database (to restart a gateway) instead of a fresh one. */
  databaseUrl?: string;
  /** Where the gateway logs; default nowhere. */
  log?: Logger;
}

export interface TestGateway {
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  gateway: Gateway;
  databaseUrl: string;
  /** POSTs one GraphQL operation over HTTP and answers the parsed body. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /**
   * Stops the gateway, then drops the database if this call created it,
   * unless `keepDatabase` is set (to start another gateway on it).
   */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
  /** Drops the database this call created (after `stop({ keepDatabase: true })` and any later gateway on it). */
  dropDatabase(): Promise<void>;
}

/** A real gateway on a real HTTP port over a database of its own (or the one given). */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const database = options.databaseUrl === undefined ? await createTestDatabase() : undefined;
  const databaseUrl = options.databaseUrl ?? database!.url;
  let gateway: Gateway;
  try {
    const config = loadConfig({
      GATER_NODES: databaseUrl,
      PORT: '0',
      GATER_STORES: (options.stores ?? ['default']).join(','),
      ...options.env,
    });
    gateway = await startGateway(config, { log: options.log ?? silentLogger });
  } catch (error) {
    await database?.drop();
    throw error;
  }
  const url = gateway.url;
  let stopped = false;
  return {
    url,
    origin: new URL(url).origin,
    gateway,
    databaseUrl,
    gql: (query, variables) => postGraphQL(url, query, variables),
    async stop({ keepDatabase = false } = {}) {
      if (stopped) return;
      stopped = true;
      await gateway.stop();
      if (!keepDatabase) await database?.drop();
    },
    async dropDatabase() {
      await database?.drop();
    },
  };
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    throw new Error(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

// ─── helpers the tests share ─────────────────────────────────────────────────

type Client = Pick<TestGateway, 'gql'>;

/** The data of a response that must have no errors. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.errors)}`);
  if (response.data === undefined || response.data === null) throw new Error('response has no data');
  return response.data;
}

/** `count` new events with client-made ids. */
export function newEvents(count: number, type = 'Happened', data: (index: number) => unknown = (index) => ({ index })): NewEventInput[] {
  return Array.from({ length: count }, (_, index) => ({ id: randomUUID(), type, data: data(index) }));
}

export async function append(client: Client, input: AppendInput): Promise<AppendResult> {
  return dataOf(await client.gql<AppendData>(APPEND, { input })).appendEvents;
}

export async function appendSuccess(client: Client, input: AppendInput): Promise<Extract<AppendResult, { __typename: 'AppendEventsSuccess' }>> {
  const result = await append(client, input);
  if (result.__typename !== 'AppendEventsSuccess') throw new Error(`append failed: ${JSON.stringify(result)}`);
  return result;
}

/** Every event of a stream, forward, page by page. */
export async function readStream(client: Client, streamId: string, store?: string): Promise<EventView[]> {
  const events: EventView[] = [];
  let after: string | null = null;
  for (;;) {
    const page: StreamPageData = dataOf(await client.gql<StreamPageData>(STREAM_PAGE, { store, id: streamId, first: 1000, after }));
    events.push(...page.stream.events.edges.map((edge) => edge.node));
    if (!page.stream.events.pageInfo.hasNextPage) return events;
    after = page.stream.events.pageInfo.endCursor;
  }
}

/** Every event of a store's global log, forward, page by page. */
export async function readAll(client: Client, store?: string): Promise<EventView[]> {
  const events: EventView[] = [];
  let after: string | null = null;
  for (;;) {
    const page: EventsPageData = dataOf(await client.gql<EventsPageData>(EVENTS_PAGE, { store, first: 1000, after }));
    events.push(...page.events.edges.map((edge) => edge.node));
    if (!page.events.pageInfo.hasNextPage) return events;
    after = page.events.pageInfo.endCursor;
  }
}

export async function storeView(client: Client, store = 'default'): Promise<StoreView> {
  const stores = dataOf(await client.gql<StoresData>(STORES)).stores;
  const found = stores.find((candidate) => candidate.id === store);
  if (!found) throw new Error(`no store ${store} in ${JSON.stringify(stores)}`);
  return found;
}
