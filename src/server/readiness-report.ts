import type { Cluster } from '../cluster/cluster.js';
import { clusterStatus, claimsLeadership } from '../cluster/cluster-status.js';
import type { ClusterNode } from '../cluster/node.js';

/** One thing /ready looked at: whether it holds, and what was found, in words. */
export interface Check {
  ok: boolean;
  detail: string;
}

/** The body of /ready: 200 when `ready`, else 503 with `reason` saying which checks failed and why. */
export interface ReadinessReport {
  ready: boolean;
  /** The details of the failed checks; absent when ready. */
  reason?: string;
  checks: Record<string, Check>;
}

export interface ReadinessSources {
  cluster: Cluster;
  /** The ids of the stores, migrated before the server started. */
  storeIds: readonly string[];
  /** True once the gateway has begun to stop. */
  stopping: () => boolean;
}

/**
 * What /ready checks: the gateway is not stopping, its stores' migrations ran,
 * its embedded PostgreSQL node (if it runs one) answers, and exactly one node
 * leads and answers a probe made now. Nodes are named as non-admin readers of
 * the cluster query see them, and no probe error is quoted: /ready is open to
 * anyone who reaches the port, and errors can hold internal addresses.
 */
export async function readinessReport({ cluster, storeIds, stopping }: ReadinessSources): Promise<ReadinessReport> {
  const leaderReady = await cluster.ready();
  const checks: Record<string, Check> = {
    shutdown: stopping() ? { ok: false, detail: 'the gateway is shutting down' } : { ok: true, detail: 'the gateway is not shutting down' },
    migrations: { ok: true, detail: `the migrations of store${storeIds.length === 1 ? '' : 's'} ${storeIds.join(', ')} ran before the server started` },
  };
  const embedded = cluster.nodes.find((node) => node.embedded);
  if (embedded) checks.embeddedNode = embeddedCheck(cluster, embedded);
  checks.leader = leaderCheck(cluster, leaderReady);
  const failed = Object.values(checks).filter((check) => !check.ok);
  if (failed.length === 0) return { ready: true, checks };
  return { ready: false, reason: failed.map((check) => check.detail).join('; '), checks };
}

function nodeName(cluster: Cluster, node: ClusterNode): string {
  return cluster.opaqueNodeId(node.id);
}

function failedProbes(node: ClusterNode): string {
  const { failures } = node.state;
  return `${failures} failed probe${failures === 1 ? '' : 's'} in a row`;
}

function embeddedCheck(cluster: Cluster, node: ClusterNode): Check {
  const name = `the embedded PostgreSQL node ${nodeName(cluster, node)}`;
  if (node.state.health === 'HEALTHY') return { ok: true, detail: `${name} is running and answers` };
  return { ok: false, detail: `${name} does not answer (${node.state.health}, ${failedProbes(node)}); it is restarted when it stopped` };
}

function leaderCheck(cluster: Cluster, ready: boolean): Check {
  const states = cluster.nodes.map((node) => node.state);
  const leaders = cluster.nodes.filter((node) => claimsLeadership(node.state));
  if (ready) return { ok: true, detail: `the leader ${nodeName(cluster, leaders[0]!)} answers and takes writes` };
  const status = clusterStatus(states);
  if (status === 'SPLIT_BRAIN') {
    return { ok: false, detail: `more than one node claims to lead (${leaders.map((node) => nodeName(cluster, node)).join(', ')}): writes are refused until one does` };
  }
  if (leaders.length === 1) {
    const leader = leaders[0]!;
    return { ok: false, detail: `the leader ${nodeName(cluster, leader)} does not answer (${leader.state.health}, ${failedProbes(leader)})` };
  }
  const seen = cluster.nodes.map((node) => `${nodeName(cluster, node)} ${node.state.role} ${node.state.health}`).join(', ');
  return { ok: false, detail: `no node leads and answers (${seen})` };
}
