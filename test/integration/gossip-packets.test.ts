import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayDirectory } from '../../src/cluster/gateway-directory.js';
import { startGossip, type DropReason, type Gossip } from '../../src/cluster/gossip/gossip.js';
import { seal } from '../../src/cluster/gossip/packet.js';
import { pollUntil } from '../support/cluster-queries.js';
import { freeUdpPort } from '../support/free-udp-port.js';

const SECRET = 'the-cluster-secret';

/**
 * A receiving gateway, a sending gateway whose only seed is the test's own
 * socket (so the test holds its genuine packets), and packets the test makes
 * or replays, all on 127.0.0.1.
 */
describe('a gateway receiving gossip', () => {
  let receiver: { gossip: Gossip; directory: GatewayDirectory; port: number };
  let sender: { gossip: Gossip; directory: GatewayDirectory };
  let tap: dgram.Socket;
  const captured: Buffer[] = [];

  beforeAll(async () => {
    tap = dgram.createSocket('udp4');
    tap.on('message', (packet) => captured.push(packet));
    await new Promise<void>((resolve) => tap.bind(0, '127.0.0.1', resolve));
    const tapPort = tap.address().port;
    receiver = await gossipingGateway('receiver', await freeUdpPort(), tapPort);
    sender = await gossipingGateway('sender', await freeUdpPort(), tapPort);
  });

  afterAll(async () => {
    await receiver?.gossip.stop();
    await sender?.gossip.stop();
    tap?.close();
  });

  const send = (packet: Buffer) =>
    new Promise<void>((resolve, reject) => tap.send(packet, receiver.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));

  const expectDropped = async (reason: DropReason, packet: Buffer) => {
    const before = receiver.gossip.stats().dropped[reason];
    await send(packet);
    await pollUntil(async () => receiver.gossip.stats().dropped[reason] > before, `a packet dropped as ${reason}`, 5_000);
  };

  const genuine = async (): Promise<Buffer> => {
    const count = captured.length;
    await pollUntil(async () => captured.slice(count).some(isFromSender), 'a packet from the sender', 5_000);
    return captured.slice(count).find(isFromSender)!;
  };
  const isFromSender = (packet: Buffer) => packet.toString('utf8').includes('"id":"sender"');

  it('lists the gateway of a genuine packet, and drops the same packet sent again as a replay', async () => {
    const packet = await genuine();
    await send(packet);
    await pollUntil(async () => receiver.directory.knows('sender'), 'the sender to be listed', 5_000);
    expect(receiver.directory.list().map((gateway) => gateway.id)).toEqual(['receiver', 'sender']);

    await expectDropped('replayed', packet);
  });

  it('drops a packet signed with another secret as forged, and never lists its gateway', async () => {
    await expectDropped('forged', seal(gatewayInfo('impostor'), 'another-secret'));
    expect(receiver.directory.knows('impostor')).toBe(false);
  });

  it('drops a genuine packet altered on the way as forged', async () => {
    const altered = Buffer.from((await genuine()).toString('utf8').replace('"id":"sender"', '"id":"hijack"'), 'utf8');
    await expectDropped('forged', altered);
    expect(receiver.directory.knows('hijack')).toBe(false);
  });

  it('drops a correctly signed packet dated five minutes ago as stale', async () => {
    await expectDropped('stale', seal(gatewayInfo('latecomer'), SECRET, Date.now() - 5 * 60_000));
    expect(receiver.directory.knows('latecomer')).toBe(false);
  });

  it('drops what is not a gossip packet as malformed', async () => {
    await expectDropped('malformed', Buffer.from('hello'));
  });

  it('lists the gateway of a correctly signed, fresh packet made elsewhere (the packets above differ from it in one way only)', async () => {
    await send(seal(gatewayInfo('newcomer'), SECRET));
    await pollUntil(async () => receiver.directory.knows('newcomer'), 'the newcomer to be listed', 5_000);
  });

  it('forgets a gateway at once when its signed packet says it is leaving, and not for a forged one', async () => {
    await send(seal(gatewayInfo('leaver'), SECRET));
    await pollUntil(async () => receiver.directory.knows('leaver'), 'the leaver to be listed', 5_000);

    await expectDropped('forged', seal(gatewayInfo('leaver'), 'another-secret', Date.now(), { leaving: true }));
    expect(receiver.directory.knows('leaver')).toBe(true);
    await send(seal(gatewayInfo('leaver'), SECRET, Date.now(), { leaving: true }));
    await pollUntil(async () => !receiver.directory.knows('leaver'), 'the leaver to be forgotten', 5_000);
  });
});

async function gossipingGateway(id: string, port: number, seedPort: number) {
  // Peers are never forgotten for falling silent here: only a packet can make the directory forget one.
  const directory = new GatewayDirectory({ id, startedAt: new Date(), nodes: () => [], peerTimeoutMs: 600_000 });
  directory.address = `http://127.0.0.1:1/${id}`;
  const gossip = await startGossip({
    secret: SECRET,
    port,
    host: '127.0.0.1',
    multicastAddr: '239.255.0.1',
    seeds: [{ host: '127.0.0.1', port: seedPort }],
    directory,
    intervalMs: 100,
    log: () => {},
  });
  return { gossip, directory, port };
}

function gatewayInfo(id: string) {
  return { id, address: `http://127.0.0.1:1/${id}`, startedAt: new Date(), nodes: [] };
}
