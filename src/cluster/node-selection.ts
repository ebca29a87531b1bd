import { ClusterUnavailableError } from './cluster-errors.js';
import { claimsLeadership } from './cluster-status.js';
import { isUnprobed, type NodeState } from './node-health.js';

/** What node choice needs to know of a node. */
export interface Candidate {
  readonly id: string;
  readonly state: NodeState;
}

export interface LeaderChoice {
  /** Only a leader whose last probe succeeded; for a retry, after a probe made on purpose. Default false. */
  healthyOnly?: boolean;
}

/**
 * The node that takes writes. Throws ClusterUnavailableError when there is
 * none, or when two nodes claim to lead (split brain: a write could land on
 * the wrong history, so none is taken until one steps down).
 */
export function chooseLeader<N extends Candidate>(nodes: readonly N[], { healthyOnly = false }: LeaderChoice = {}): N {
  const lone = loneUnprobedNode(nodes);
  if (lone) return lone;
  const leaders = nodes.filter((node) => claimsLeadership(node.state));
  if (leaders.length > 1) {
    const ids = leaders.map((node) => node.id);
    const who = leaders.length === 2 ? `${ids.join(' and ')} both` : `${ids.join(', ')} all`;
    throw new ClusterUnavailableError(
      `split brain: ${who} claim to lead; writes are refused until one steps down`,
      `split brain: ${leaders.length} nodes claim to lead; writes are refused until one steps down`,
    );
  }
  const leader = leaders[0];
  if (!leader) throw new ClusterUnavailableError(`no leader: ${describeNodes(nodes)}`, 'no leader');
  if (healthyOnly && leader.state.health !== 'HEALTHY') {
    throw new ClusterUnavailableError(`the leader ${leader.id} is not answering (${leader.state.lastError ?? leader.state.health})`, 'the leader is not answering');
  }
  return leader;
}

export interface ReaderChoice<N> {
  /** Replicas whose replay lags more than this are skipped. */
  maxReplicaLagMs: number;
  /** Nodes not to choose (one that just failed). */
  exclude?: readonly N[];
  /** Default Math.random. */
  random?: () => number;
}

/**
 * A random node that can serve reads: the leader or a replica that keeps up,
 * among HEALTHY nodes; when none is healthy, among SUSPECT ones (a read that
 * may fail beats one refused outright).
 */
export function chooseReader<N extends Candidate>(nodes: readonly N[], { maxReplicaLagMs, exclude = [], random = Math.random }: ReaderChoice<N>): N {
  const lone = loneUnprobedNode(nodes);
  if (lone && !exclude.includes(lone)) return lone;
  const servesReads = (node: N) =>
    !exclude.includes(node) &&
    (node.state.role === 'LEADER' || (node.state.role === 'REPLICA' && (node.state.replicationLagMs ?? 0) <= maxReplicaLagMs));
  const readable = nodes.filter(servesReads);
  const healthy = readable.filter((node) => node.state.health === 'HEALTHY');
  const choices = healthy.length > 0 ? healthy : readable.filter((node) => node.state.health === 'SUSPECT');
  if (choices.length === 0) throw new ClusterUnavailableError(`no node can serve reads: ${describeNodes(nodes)}`, 'no node can serve reads');
  return choices[Math.floor(random() * choices.length)]!;
}

/** Until the first probe answers, a one-node cluster's node is taken for what it almost always is: the leader. */
function loneUnprobedNode<N extends Candidate>(nodes: readonly N[]): N | undefined {
  return nodes.length === 1 && isUnprobed(nodes[0]!.state) ? nodes[0] : undefined;
}

function describeNodes(nodes: readonly Candidate[]): string {
  return nodes
    .map(({ id, state }) => {
      const lag = state.role === 'REPLICA' && state.replicationLagMs !== null ? `, lag ${Math.round(state.replicationLagMs)} ms` : '';
      const why = state.health !== 'HEALTHY' && state.lastError ? ` (${state.lastError})` : '';
      return `${id} is ${state.role === 'UNKNOWN' ? '' : `${state.role} `}${state.health}${lag}${why}`;
    })
    .join(', ');
}
