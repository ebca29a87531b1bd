import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { EVENT_FIELDS, type EventView } from './queries.js';
import { dataOf, postGraphQL, type GraphQLResponse, type TestGateway } from './test-gateway.js';
import { useGateway } from './use-gateway.js';
import { connectWs, waitUntil, type Collected, type WsConnection } from './ws-client.js';

/** The GraphQL documents and helpers of the persistent-subscription tests. */

export type SubscriptionTypeArg = 'BY_STREAM' | 'BY_EVENT_TYPE' | 'BY_EVENT_PATTERN' | 'BY_EVENT_PAYLOAD';

export interface SaveSubscriptionInput {
  store?: string;
  name: string;
  type: SubscriptionTypeArg;
  selector?: string;
  pattern?: unknown;
  startFrom?: number;
  maxRetries?: number;
  ackTimeoutMs?: number;
  maxInFlight?: number;
}

export interface SubscriptionView {
  name: string;
  type: SubscriptionTypeArg;
  selector: string | null;
  pattern: unknown;
  startFrom: number | null;
  maxRetries: number;
  ackTimeoutMs: number;
  maxInFlight: number;
  checkpoint: number;
  inFlightCount: number;
  parkedCount: number;
  consumerCount: number;
}

export interface DeliveryView {
  event: EventView;
  retryCount: number;
}

const SUBSCRIPTION_FIELDS = /* GraphQL */ `
  fragment SubscriptionFields on PersistentSubscription {
    name type selector pattern startFrom maxRetries ackTimeoutMs maxInFlight
    checkpoint inFlightCount parkedCount consumerCount
  }
`;

export const SAVE_SUBSCRIPTION = /* GraphQL */ `
  mutation Save($input: SaveSubscriptionInput!) { saveSubscription(input: $input) { ...SubscriptionFields } }
  ${SUBSCRIPTION_FIELDS}
`;

export const PERSISTENT_SUBSCRIPTIONS = /* GraphQL */ `
  query Subscriptions($store: ID) { persistentSubscriptions(store: $store) { ...SubscriptionFields } }
  ${SUBSCRIPTION_FIELDS}
`;

export const REMOVE_SUBSCRIPTION = /* GraphQL */ `
  mutation Remove($store: ID, $name: String!) { removeSubscription(store: $store, name: $name) }
`;

export const ACK = /* GraphQL */ `
  mutation Ack($store: ID, $subscription: String!, $eventId: ID!) { ackEvent(store: $store, subscription: $subscription, eventId: $eventId) }
`;

export const ACK_MANY = /* GraphQL */ `
  mutation AckMany($store: ID, $subscription: String!, $eventIds: [ID!]!) { ackEvents(store: $store, subscription: $subscription, eventIds: $eventIds) }
`;

export const NACK = /* GraphQL */ `
  mutation Nack($store: ID, $subscription: String!, $eventId: ID!, $action: NackAction, $reason: String) {
    nackEvent(store: $store, subscription: $subscription, eventId: $eventId, action: $action, reason: $reason)
  }
`;

export const REPLAY_PARKED = /* GraphQL */ `
  mutation Replay($store: ID, $subscription: String!) { replayParked(store: $store, subscription: $subscription) }
`;

export const PARKED_EVENTS = /* GraphQL */ `
  query Parked($store: ID, $subscription: String!, $first: Int, $after: String) {
    parkedEvents(store: $store, subscription: $subscription, first: $first, after: $after) {
      edges { cursor node { ...EventFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
  ${EVENT_FIELDS}
`;

export const PERSISTENT = /* GraphQL */ `
  subscription Persistent($store: ID, $subscription: String!) {
    persistent(store: $store, subscription: $subscription) { retryCount event { ...EventFields } }
  }
  ${EVENT_FIELDS}
`;

type HttpClient = Pick<TestGateway, 'gql'>;

export async function saveSubscription(client: HttpClient, input: SaveSubscriptionInput): Promise<SubscriptionView> {
  return dataOf(await client.gql<{ saveSubscription: SubscriptionView }>(SAVE_SUBSCRIPTION, { input })).saveSubscription;
}

/** The subscription of that name as persistentSubscriptions shows it. */
export async function subscriptionView(client: HttpClient, name: string, store?: string): Promise<SubscriptionView> {
  const all = dataOf(await client.gql<{ persistentSubscriptions: SubscriptionView[] }>(PERSISTENT_SUBSCRIPTIONS, { store }));
  const found = all.persistentSubscriptions.find((subscription) => subscription.name === name);
  if (!found) throw new Error(`no subscription ${name}`);
  return found;
}

/** The header that names a consumer over HTTP, for acks of deliveries made to a consumer with that token. */
export const CONSUMER_TOKEN_HEADER = 'x-gater-consumer-token';

/** Acks over HTTP, as the consumer whose graphql-ws connection sent `consumerToken` when given, else as nobody's consumer. */
export async function ackOverHttp(client: Pick<TestGateway, 'gql' | 'url'>, subscription: string, eventId: string, consumerToken?: string): Promise<boolean> {
  const variables = { subscription, eventId };
  const response =
    consumerToken === undefined
      ? await client.gql<{ ackEvent: boolean }>(ACK, variables)
      : await postGraphQL<{ ackEvent: boolean }>(client.url, ACK, variables, { [CONSUMER_TOKEN_HEADER]: consumerToken });
  return dataOf(response).ackEvent;
}

export async function nackOverHttp(
  client: HttpClient,
  subscription: string,
  eventId: string,
  action: 'RETRY' | 'PARK' | 'SKIP',
  reason?: string,
): Promise<boolean> {
  return dataOf(await client.gql<{ nackEvent: boolean }>(NACK, { subscription, eventId, action, reason })).nackEvent;
}

/** Runs a query or mutation over a graphql-ws connection and answers its one result. */
export function executeOverWs<T>(client: Client, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  return new Promise((resolve, reject) => {
    let result: GraphQLResponse<T> | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (result = value as GraphQLResponse<T>),
        error: reject,
        complete: () => (result ? resolve(result) : reject(new Error('completed without a result'))),
      },
    );
  });
}

/** A consumer of a persistent subscription over graphql-ws, which acks on its own connection. */
export interface PersistentConsumer extends Collected<DeliveryView> {
  ack(eventId: string): Promise<boolean>;
  /** Acks many with one ackEvents on its own connection; answers each, in the order asked. */
  ackMany(eventIds: readonly string[]): Promise<boolean[]>;
  nack(eventId: string, action: 'RETRY' | 'PARK' | 'SKIP', reason?: string): Promise<boolean>;
  /** Answers of the acks it sent by itself (with `autoAck`), in order. */
  readonly autoAcks: Promise<boolean>[];
}

export interface ConsumeOptions {
  store?: string;
  /** Ack every delivery as it arrives. */
  autoAck?: boolean;
}

export function consume(ws: WsConnection, subscription: string, { store, autoAck = false }: ConsumeOptions = {}): PersistentConsumer {
  const settle = async <Answer = boolean>(query: string, variables: Record<string, unknown>) => {
    const result = await executeOverWs<Record<string, Answer>>(ws.client, query, { subscription, store, ...variables });
    return Object.values(dataOf(result))[0]!;
  };
  const ack = (eventId: string) => settle(ACK, { eventId });
  const autoAcks: Promise<boolean>[] = [];
  const sub = ws.subscribe<DeliveryView>(PERSISTENT, { subscription, store }, (delivery) => {
    if (!autoAck) return;
    const answer = ack(delivery.event.id);
    // An ack whose answer the test never asks for may still be under way when the test ends and the connection
    // closes under it; a test that awaits autoAcks still sees it fail.
    answer.catch(() => undefined);
    autoAcks.push(answer);
  });
  return Object.assign(sub, {
    ack,
    ackMany: (eventIds: readonly string[]) => settle<boolean[]>(ACK_MANY, { eventIds }),
    nack: (eventId: string, action: 'RETRY' | 'PARK' | 'SKIP', reason?: string) => settle(NACK, { eventId, action, reason }),
    autoAcks,
  });
}

/** Waits until the gateway serves `count` consumers (over all subscriptions). */
export async function waitForConsumers(gw: Pick<TestGateway, 'gateway'>, count: number): Promise<void> {
  await waitUntil(() => gw.gateway.persistent.consumerCount === count, `${count} persistent consumers (now ${gw.gateway.persistent.consumerCount})`);
}

/**
 * A gateway and a graphql-ws connection to it, shared by the tests of one
 * file: each test's consumers on the connection end with the test.
 */
export function gatewayForFile(): { readonly gw: TestGateway; readonly ws: WsConnection } {
  const shared = { gw: useGateway() } as { gw: TestGateway; ws: WsConnection };
  beforeAll(async () => {
    shared.ws = await connectWs(shared.gw);
  });
  afterEach(async () => {
    shared.ws.unsubscribeAll();
    await waitForConsumers(shared.gw, 0);
  });
  afterAll(async () => {
    await shared.ws?.dispose();
  });
  return shared;
}
