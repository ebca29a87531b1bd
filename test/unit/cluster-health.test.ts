import { describe, expect, it } from 'vitest';
import { clusterStatus, hasOneHealthyLeader } from '../../src/cluster/cluster-status.js';
import { afterProbe, UNPROBED, type NodeState, type ProbeOutcome } from '../../src/cluster/node-health.js';

const answered = (role: 'LEADER' | 'REPLICA'): ProbeOutcome => ({ ok: true, role, latencyMs: 1.5, replicationLagMs: role === 'REPLICA' ? 0 : null, at: new Date(0) });
const failed: ProbeOutcome = { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' };

function probed(...outcomes: ProbeOutcome[]): NodeState {
  return outcomes.reduce((state, outcome) => afterProbe(state, outcome, 3), UNPROBED);
}

describe('a node through its probes (down after 3 failures in a row)', () => {
  it('is HEALTHY with its role, latency and lag once a probe answers', () => {
    expect(probed(answered('REPLICA'))).toMatchObject({ role: 'REPLICA', health: 'HEALTHY', latencyMs: 1.5, replicationLagMs: 0, lastError: null });
  });

  it('turns SUSPECT on a failed probe, keeping its last known role, and DOWN on the third in a row', () => {
    const once = probed(answered('LEADER'), failed);
    expect(once).toMatchObject({ role: 'LEADER', health: 'SUSPECT', failures: 1, lastError: failed.ok ? null : failed.error });
    expect(probed(answered('LEADER'), failed, failed)).toMatchObject({ health: 'SUSPECT', failures: 2 });
    expect(probed(answered('LEADER'), failed, failed, failed)).toMatchObject({ role: 'LEADER', health: 'DOWN', failures: 3 });
  });

  it('recovers to HEALTHY on the next probe that answers, with the role it reports now', () => {
    expect(probed(answered('LEADER'), failed, failed, failed, answered('REPLICA'))).toMatchObject({ role: 'REPLICA', health: 'HEALTHY', failures: 0 });
  });

  it('counts failures in a row only: a success in between starts again', () => {
    expect(probed(answered('LEADER'), failed, failed, answered('LEADER'), failed)).toMatchObject({ health: 'SUSPECT', failures: 1 });
  });
});

describe('the cluster status', () => {
  const state = (role: NodeState['role'], health: NodeState['health']): NodeState => ({ ...UNPROBED, role, health });

  it('is HEALTHY with one leader and every node healthy, and then ready', () => {
    const nodes = [state('LEADER', 'HEALTHY'), state('REPLICA', 'HEALTHY')];
    expect(clusterStatus(nodes)).toBe('HEALTHY');
    expect(hasOneHealthyLeader(nodes)).toBe(true);
  });

  it('is DEGRADED with one leader and some node not healthy; ready only while the leader is healthy', () => {
    expect(clusterStatus([state('LEADER', 'HEALTHY'), state('REPLICA', 'DOWN')])).toBe('DEGRADED');
    expect(hasOneHealthyLeader([state('LEADER', 'HEALTHY'), state('REPLICA', 'DOWN')])).toBe(true);
    expect(clusterStatus([state('LEADER', 'SUSPECT'), state('REPLICA', 'HEALTHY')])).toBe('DEGRADED');
    expect(hasOneHealthyLeader([state('LEADER', 'SUSPECT'), state('REPLICA', 'HEALTHY')])).toBe(false);
  });

  it('is UNAVAILABLE with no leader, a DOWN one included', () => {
    expect(clusterStatus([state('LEADER', 'DOWN'), state('REPLICA', 'HEALTHY')])).toBe('UNAVAILABLE');
    expect(clusterStatus([state('UNKNOWN', 'SUSPECT')])).toBe('UNAVAILABLE');
    expect(hasOneHealthyLeader([state('REPLICA', 'HEALTHY')])).toBe(false);
  });

  it('is SPLIT_BRAIN with two nodes claiming to lead, and then not ready', () => {
    const nodes = [state('LEADER', 'HEALTHY'), state('LEADER', 'SUSPECT')];
    expect(clusterStatus(nodes)).toBe('SPLIT_BRAIN');
    expect(hasOneHealthyLeader(nodes)).toBe(false);
  });
});
