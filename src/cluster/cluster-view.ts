import type { ClusterStatus } from './cluster-status.js';
import type { ClusterNode } from './node.js';
import type { NodeHealth, NodeRole } from './node-health.js';

/** A node as clients see it. */
export interface NodeView {
  id: string;
  address: string;
  role: NodeRole;
  health: NodeHealth;
  latencyMs: number | null;
  replicationLagMs: number | null;
  lastSeen: Date | null;
  /** When the server started; null until a probe answered (and for nodes a peer of an older version reports). */
  startedAt: Date | null;
  embedded: boolean;
}

/** A gateway of the cluster, this one or one heard over gossip, with its view of the nodes. */
export interface GatewayView {
  id: string;
  /** Its GraphQL endpoint. */
  address: string;
  startedAt: Date;
  lastSeen: Date;
  self: boolean;
  nodes: NodeView[];
}

export interface ClusterSnapshot {
  /**
   * Distinct for every snapshot taken. The server executes a subscription's selection once
   * per payload id and shares the result among subscribers (server/shared-subscription-results.ts).
   */
  id: string;
  status: ClusterStatus;
  /** The one leader; null when there is none or more than one. */
  leader: NodeView | null;
  nodes: NodeView[];
  gateways: GatewayView[];
}

export function nodeView(node: ClusterNode): NodeView {
  const { role, health, latencyMs, replicationLagMs, lastSeen, startedAt } = node.state;
  return { id: node.id, address: node.address, role, health, latencyMs, replicationLagMs, lastSeen, startedAt, embedded: node.embedded };
}

/** What a clusterStatus subscriber is told about: status, roles, health and gateways, not every latency wobble. */
export function changeKey(snapshot: ClusterSnapshot): string {
  return JSON.stringify([
    snapshot.status,
    snapshot.nodes.map((node) => [node.id, node.role, node.health]),
    snapshot.gateways.map((gateway) => [gateway.id, gateway.address]),
  ]);
}
