/** GraphQL documents and helpers of the cluster tests. */
import { dataOf, type GraphQLResponse, type TestGateway } from './test-gateway.js';

export const NODE_FIELDS = /* GraphQL */ `
  fragment NodeFields on ClusterNode { id address role health latencyMs replicationLagMs lastSeen embedded }
`;

export interface NodeView {
  id: string;
  address: string;
  role: 'LEADER' | 'REPLICA' | 'UNKNOWN';
  health: 'HEALTHY' | 'SUSPECT' | 'DOWN';
  latencyMs: number | null;
  replicationLagMs: number | null;
  lastSeen: string | null;
  embedded: boolean;
}

export type ClusterStatus = 'HEALTHY' | 'DEGRADED' | 'UNAVAILABLE' | 'SPLIT_BRAIN';

export interface GatewayView {
  id: string;
  address: string;
  startedAt: string;
  lastSeen: string;
  self: boolean;
  nodes: { id: string; role: string; health: string }[];
}

export interface ClusterView {
  status: ClusterStatus;
  leader: NodeView | null;
  nodes: NodeView[];
  gateways: GatewayView[];
}

const CLUSTER_FIELDS = /* GraphQL */ `
  fragment ClusterFields on Cluster {
    status
    leader { ...NodeFields }
    nodes { ...NodeFields }
    gateways { id address startedAt lastSeen self nodes { id role health } }
  }
  ${NODE_FIELDS}
`;

export const CLUSTER = /* GraphQL */ `
  query Cluster { cluster { ...ClusterFields } }
  ${CLUSTER_FIELDS}
`;

export const CLUSTER_NODES = /* GraphQL */ `
  query ClusterNodes { clusterNodes { ...NodeFields } }
  ${NODE_FIELDS}
`;

export const CLUSTER_STATUS = /* GraphQL */ `
  subscription ClusterStatus { clusterStatus { ...ClusterFields } }
  ${CLUSTER_FIELDS}
`;

export async function clusterOf(gw: Pick<TestGateway, 'gql'>): Promise<ClusterView> {
  return dataOf(await gw.gql<{ cluster: ClusterView }>(CLUSTER)).cluster;
}

/** Polls an async `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function pollUntil(condition: () => Promise<boolean>, what: string | (() => string), timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls the cluster query until `condition` holds, and answers that view; the failure shows the last one. */
export async function waitForCluster(
  gw: Pick<TestGateway, 'gql'>,
  condition: (cluster: ClusterView) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<ClusterView> {
  let last: ClusterView | undefined;
  await pollUntil(
    async () => condition((last = await clusterOf(gw))),
    () => `${what}; last: ${JSON.stringify(last)}`,
    timeoutMs,
  );
  return last!;
}

/** The error codes of a response. */
export function errorCodes(response: GraphQLResponse<unknown>): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/** POSTs one operation with extra request headers. */
export async function postWithHeaders<T>(
  url: string,
  headers: Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}
