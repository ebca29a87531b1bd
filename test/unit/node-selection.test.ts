import { describe, expect, it } from 'vitest';
import { ClusterUnavailableError } from '../../src/cluster/cluster-errors.js';
import { UNPROBED, type NodeState } from '../../src/cluster/node-health.js';
import { chooseLeader, chooseReader } from '../../src/cluster/node-selection.js';

function node(id: string, state: Partial<NodeState>) {
  return { id, state: { ...UNPROBED, health: 'HEALTHY', failures: 0, lastSeen: new Date(0), ...state } as NodeState };
}

const leader = node('primary:5432', { role: 'LEADER', replicationLagMs: null });
const replica = node('replica:5432', { role: 'REPLICA', replicationLagMs: 0 });
const lagging = node('far:5432', { role: 'REPLICA', replicationLagMs: 60_000 });

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('chooseLeader', () => {
  it('answers the one node that leads', () => {
    expect(chooseLeader([replica, leader])).toBe(leader);
  });

  it('keeps a leader whose last probe failed (SUSPECT), unless only a healthy one will do', () => {
    const suspect = node('primary:5432', { role: 'LEADER', health: 'SUSPECT', failures: 1, lastError: 'connect ECONNREFUSED' });
    expect(chooseLeader([suspect, replica])).toBe(suspect);
    const error = thrown(() => chooseLeader([suspect, replica], { healthyOnly: true }));
    expect(error).toBeInstanceOf(ClusterUnavailableError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses, naming every node, when no node leads or the leader is DOWN', () => {
    const down = node('primary:5432', { role: 'LEADER', health: 'DOWN', failures: 3 });
    const error = thrown(() => chooseLeader([down, replica]));
    expect(error).toBeInstanceOf(ClusterUnavailableError);
    expect(error.message).toMatch(/^no leader: primary:5432 is LEADER DOWN, replica:5432 is REPLICA HEALTHY/);
  });

  it('refuses writes in a split brain, naming both leaders', () => {
    const other = node('other:5432', { role: 'LEADER' });
    const error = thrown(() => chooseLeader([leader, other, replica]));
    expect(error).toBeInstanceOf(ClusterUnavailableError);
    expect(error.message).toMatch(/^split brain: primary:5432 and other:5432 both claim to lead/);
  });

  it('takes the only node of a one-node cluster before its first probe, and no node of a larger one', () => {
    const unprobed = { id: 'only:5432', state: UNPROBED };
    expect(chooseLeader([unprobed])).toBe(unprobed);
    expect(() => chooseLeader([unprobed, { id: 'two:5432', state: UNPROBED }])).toThrow(ClusterUnavailableError);
  });
});

describe('chooseReader', () => {
  const options = { maxReplicaLagMs: 5_000 };

  it('picks at random among the healthy leader and replicas that keep up', () => {
    const nodes = [leader, replica, lagging];
    expect(chooseReader(nodes, { ...options, random: () => 0 })).toBe(leader);
    expect(chooseReader(nodes, { ...options, random: () => 0.99 })).toBe(replica);
  });

  it('skips a replica lagging beyond the bound', () => {
    expect(chooseReader([lagging, leader], { ...options, random: () => 0 })).toBe(leader);
    expect(() => chooseReader([lagging], options)).toThrow(ClusterUnavailableError);
  });

  it('skips the nodes to exclude (one that just failed)', () => {
    expect(chooseReader([leader, replica], { ...options, exclude: [leader], random: () => 0 })).toBe(replica);
  });

  it('serves from a node that is not DOWN and whose last probe failed only when no node is healthy', () => {
    const suspect = node('replica:5432', { role: 'REPLICA', health: 'SUSPECT', failures: 1, replicationLagMs: 0 });
    const down = node('primary:5432', { role: 'LEADER', health: 'DOWN', failures: 3 });
    expect(chooseReader([down, suspect], options)).toBe(suspect);
    expect(chooseReader([leader, suspect], { ...options, random: () => 0.99 })).toBe(leader);
  });

  it('refuses, naming the nodes, when none can serve', () => {
    const down = node('primary:5432', { role: 'LEADER', health: 'DOWN', failures: 3 });
    const error = thrown(() => chooseReader([down], options));
    expect(error).toBeInstanceOf(ClusterUnavailableError);
    expect(error.message).toBe('no node can serve reads: primary:5432 is LEADER DOWN');
  });
});
