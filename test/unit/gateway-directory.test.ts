import { describe, expect, it } from 'vitest';
import { GatewayDirectory } from '../../src/cluster/gateway-directory.js';

const peer = (id: string) => ({ id, address: `http://10.0.0.2:4000/graphql#${id}`, startedAt: new Date(0), nodes: [] });

describe('the gateway directory', () => {
  it('forgets a peer that fell silent for longer than the peer timeout, and keeps one heard from since', () => {
    const directory = new GatewayDirectory({ id: 'self', startedAt: new Date(0), nodes: () => [], peerTimeoutMs: 5_000 });
    directory.heard(peer('silent'), new Date(1_000));
    directory.heard(peer('chatty'), new Date(4_000));
    directory.expire(7_000);
    expect(directory.list().map((gateway) => gateway.id)).toEqual(['self', 'chatty']);
  });

  it('forgets a peer that says it is leaving, and tells its listeners once', () => {
    const directory = new GatewayDirectory({ id: 'self', startedAt: new Date(0), nodes: () => [] });
    let changes = 0;
    directory.onChange(() => changes++);
    directory.heard(peer('leaver'));
    directory.forget('leaver');
    directory.forget('leaver');
    expect(directory.knows('leaver')).toBe(false);
    expect(changes).toBe(2);
  });
});
