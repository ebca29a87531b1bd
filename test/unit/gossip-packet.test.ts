import { describe, expect, it } from 'vitest';
import { open, seal } from '../../src/cluster/gossip/packet.js';
import { ReplayGuard } from '../../src/cluster/gossip/replay-guard.js';

const gateway = {
  id: 'gateway-a',
  address: 'http://10.0.0.1:4000/graphql',
  startedAt: new Date('2025-01-02T03:04:05.000Z'),
  nodes: [
    {
      id: 'db1:5432',
      address: 'postgres://db1:5432/events',
      role: 'LEADER' as const,
      health: 'HEALTHY' as const,
      latencyMs: 0.8,
      replicationLagMs: null,
      lastSeen: new Date('2025-01-02T03:04:06.000Z'),
      startedAt: new Date('2025-01-01T00:00:00.000Z'),
      embedded: false,
    },
  ],
};

describe('a gossip packet', () => {
  it('opens under the secret it was sealed with, to the same announcement', () => {
    const opened = open(seal(gateway, 'secret', 1_000), 'secret');
    expect(opened).toEqual({ ok: true, packet: { ts: 1_000, nonce: expect.stringMatching(/^[0-9a-f]{32}$/), gateway, leaving: false } });
  });

  it('says the gateway is leaving only when sealed as the last announcement of one that stops', () => {
    const leaving = open(seal(gateway, 'secret', 1_000, { leaving: true }), 'secret');
    expect(leaving.ok && leaving.packet).toMatchObject({ gateway, leaving: true });
    const altered = Buffer.from(seal(gateway, 'secret', 1_000).toString('utf8').replace(/}$/, ',"leaving":true}'), 'utf8');
    expect(open(altered, 'secret')).toEqual({ ok: false, reason: 'forged' });
  });

  it('carries a new nonce every time', () => {
    const nonce = (packet: Buffer) => (open(packet, 'secret') as { packet: { nonce: string } }).packet.nonce;
    expect(nonce(seal(gateway, 'secret'))).not.toBe(nonce(seal(gateway, 'secret')));
  });

  it('is forged under another secret, or once a byte of it changed', () => {
    expect(open(seal(gateway, 'secret'), 'other')).toEqual({ ok: false, reason: 'forged' });
    const altered = Buffer.from(seal(gateway, 'secret', 1_000).toString('utf8').replace('"ts":1000', '"ts":9000'), 'utf8');
    expect(open(altered, 'secret')).toEqual({ ok: false, reason: 'forged' });
  });

  it('is malformed when it is not one, or when its signed content has the wrong shape', () => {
    expect(open(Buffer.from('hello'), 'secret')).toEqual({ ok: false, reason: 'malformed' });
    expect(open(Buffer.from('gater-gossip/1\nzz\n{}'), 'secret')).toEqual({ ok: false, reason: 'malformed' });
    const wrongShape = seal({ ...gateway, nodes: [{ ...gateway.nodes[0]!, role: 'KING' as 'LEADER' }] }, 'secret');
    expect(open(wrongShape, 'secret')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('takes a node without startedAt, from a peer of an older version, as started at an unknown time', () => {
    const { startedAt: _dropped, ...older } = gateway.nodes[0]!;
    const opened = open(seal({ ...gateway, nodes: [older as typeof gateway.nodes[0]] }, 'secret'), 'secret');
    expect(opened.ok && opened.packet.gateway.nodes[0]!.startedAt).toBeNull();
    const wrongTime = seal({ ...gateway, nodes: [{ ...gateway.nodes[0]!, startedAt: 'yesterday' as unknown as Date }] }, 'secret');
    expect(open(wrongTime, 'secret')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('shows a node address with a password from a peer masked', () => {
    const leaky = { ...gateway, nodes: [{ ...gateway.nodes[0]!, address: 'postgres://gater:s3cret@db1:5432/events' }] };
    const opened = open(seal(leaky, 'secret'), 'secret');
    expect(opened.ok && opened.packet.gateway.nodes[0]!.address).toBe('postgres://gater:***@db1:5432/events');
  });
});

describe('the replay guard', () => {
  it('lets a fresh nonce through once, then calls it replayed', () => {
    const guard = new ReplayGuard({ windowMs: 30_000, now: () => 100_000 });
    expect(guard.check(100_000, 'n1')).toBe('ok');
    expect(guard.check(100_000, 'n1')).toBe('replayed');
    expect(guard.check(100_000, 'n2')).toBe('ok');
  });

  it('calls a packet dated outside the window, either way, stale', () => {
    const guard = new ReplayGuard({ windowMs: 30_000, now: () => 100_000 });
    expect(guard.check(69_999, 'old')).toBe('stale');
    expect(guard.check(130_001, 'future')).toBe('stale');
    expect(guard.check(70_000, 'edge')).toBe('ok');
  });
});
