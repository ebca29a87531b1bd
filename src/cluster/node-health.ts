export const NODE_ROLES = ['LEADER', 'REPLICA', 'UNKNOWN'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];
export const NODE_HEALTHS = ['HEALTHY', 'SUSPECT', 'DOWN'] as const;
export type NodeHealth = (typeof NODE_HEALTHS)[number];

/** What the probes have found out about a node. */
export interface NodeState {
  /** From `pg_is_in_recovery()` at the last successful probe; UNKNOWN until one succeeds. */
  role: NodeRole;
  health: NodeHealth;
  /** Failed probes in a row. */
  failures: number;
  /** Round trip of the last successful probe. */
  latencyMs: number | null;
  /** How far a replica's replay is behind what it has received; null for a leader. */
  replicationLagMs: number | null;
  /** When a probe last succeeded. */
  lastSeen: Date | null;
  /** When the server started (`pg_postmaster_start_time()`), at the last successful probe; null before one. */
  startedAt: Date | null;
  /** Why the last probe failed; null after a success. */
  lastError: string | null;
}

export type ProbeOutcome =
  | { ok: true; role: 'LEADER' | 'REPLICA'; latencyMs: number; replicationLagMs: number | null; at: Date; startedAt?: Date }
  | { ok: false; error: string };

/** A node before its first probe: nothing known, not yet trusted. */
export const UNPROBED: NodeState = {
  role: 'UNKNOWN',
  health: 'SUSPECT',
  failures: 0,
  latencyMs: null,
  replicationLagMs: null,
  lastSeen: null,
  startedAt: null,
  lastError: null,
};

export function isUnprobed(state: NodeState): boolean {
  return state.lastSeen === null && state.failures === 0;
}

/**
 * HEALTHY after any successful probe (which is also how a node recovers);
 * SUSPECT after a failed one; DOWN after `downAfterFailures` failures in a
 * row. A node keeps its last known role while it is not answering.
 */
export function afterProbe(state: NodeState, outcome: ProbeOutcome, downAfterFailures: number): NodeState {
  if (outcome.ok) {
    return {
      role: outcome.role,
      health: 'HEALTHY',
      failures: 0,
      latencyMs: outcome.latencyMs,
      replicationLagMs: outcome.replicationLagMs,
      lastSeen: outcome.at,
      startedAt: outcome.startedAt ?? null,
      lastError: null,
    };
  }
  const failures = state.failures + 1;
  return { ...state, health: failures >= downAfterFailures ? 'DOWN' : 'SUSPECT', failures, lastError: outcome.error };
}
