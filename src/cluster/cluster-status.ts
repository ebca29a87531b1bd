import type { NodeState } from './node-health.js';

/**
 * HEALTHY: one leader and every node healthy. DEGRADED: one leader, some node
 * not healthy. UNAVAILABLE: no leader. SPLIT_BRAIN: more than one node claims
 * to lead.
 */
export const CLUSTER_STATUSES = ['HEALTHY', 'DEGRADED', 'UNAVAILABLE', 'SPLIT_BRAIN'] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

/** A node that said it leads and is not DOWN still counts as a leader: one failed probe does not depose it. */
export function claimsLeadership(state: NodeState): boolean {
  return state.role === 'LEADER' && state.health !== 'DOWN';
}

export function clusterStatus(states: readonly NodeState[]): ClusterStatus {
  const leaders = states.filter(claimsLeadership).length;
  if (leaders > 1) return 'SPLIT_BRAIN';
  if (leaders === 0) return 'UNAVAILABLE';
  return states.every((state) => state.health === 'HEALTHY') ? 'HEALTHY' : 'DEGRADED';
}

/** Ready to serve writes: exactly one leader, and its last probe succeeded. */
export function hasOneHealthyLeader(states: readonly NodeState[]): boolean {
  const leaders = states.filter(claimsLeadership);
  return leaders.length === 1 && leaders[0]!.health === 'HEALTHY';
}
