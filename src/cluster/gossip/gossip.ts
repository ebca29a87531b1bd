import dgram from 'node:dgram';
import type { GatewayDirectory } from '../gateway-directory.js';
import { ALL_INTERFACES } from './bind-address.js';
import { DropCounter, type DropReason } from './drop-counter.js';
import { open, seal } from './packet.js';
import { ReplayGuard } from './replay-guard.js';

export interface GossipEndpoint {
  host: string;
  port: number;
}

export interface GossipOptions {
  /** Signs and checks every packet (EX_ESDB_CLUSTER_SECRET). */
  secret: string;
  /** UDP port this gateway listens on, and the port of the multicast group (EX_ESDB_CLUSTER_PORT). */
  port: number;
  /**
   * IPv4 address of the interface to listen and send on (from HOST, see `gossipBindAddress`); `0.0.0.0` means
   * every interface. With multicast the group is joined on this interface only.
   */
  host: string;
  /** Multicast group announcements go to when there are no seeds (EX_ESDB_GOSSIP_MULTICAST_ADDR). */
  multicastAddr: string;
  /**
   * Gateways to announce to where multicast is unavailable (GATER_GOSSIP_SEEDS). When given, no multicast:
   * announcements go to the seeds and to every gateway heard from, so one seed is enough to join.
   */
  seeds: GossipEndpoint[];
  directory: GatewayDirectory;
  /** Time between announcements. Default 1000 ms. */
  intervalMs?: number;
  /** Largest clock difference a packet may show before it is stale. Default 30 000 ms. */
  maxClockSkewMs?: number;
  log: (message: string) => void;
}

export type { DropReason } from './drop-counter.js';

export interface GossipStats {
  sent: number;
  accepted: number;
  dropped: Record<DropReason, number>;
}

export interface Gossip {
  stats(): GossipStats;
  /** The address and port the socket listens on. */
  address(): { address: string; port: number };
  stop(): Promise<void>;
}

/**
 * Gateways find each other: each announces itself (id, GraphQL address,
 * start time, view of the nodes) about once a second, and records the
 * announcements of others in the directory, which forgets the silent, and
 * at once those that say they are leaving.
 */
export async function startGossip(options: GossipOptions): Promise<Gossip> {
  const { secret, port, host, multicastAddr, seeds, directory, intervalMs = 1_000, maxClockSkewMs = 30_000, log } = options;
  const multicast = seeds.length === 0;
  const everywhere = host === ALL_INTERFACES;
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: multicast });
  const guard = new ReplayGuard({ windowMs: maxClockSkewMs });
  const drops = new DropCounter(log);
  let sent = 0;
  let accepted = 0;
  /** Where each peer heard from sends from, so that it hears back even when it is not a seed. */
  const heardFrom = new Map<string, GossipEndpoint>();
  const drop = (reason: DropReason, from: dgram.RemoteInfo) => drops.drop(reason, `${from.address}:${from.port}`);

  socket.on('message', (datagram, from) => {
    const opened = open(datagram, secret);
    if (!opened.ok) return drop(opened.reason, from);
    const { ts, nonce, gateway, leaving } = opened.packet;
    // Multicast loops our own packets back to us; a seed list may name us too.
    if (gateway.id === directory.id) return;
    const verdict = guard.check(ts, nonce);
    if (verdict !== 'ok') return drop(verdict, from);
    accepted += 1;
    if (leaving) {
      heardFrom.delete(gateway.id);
      directory.forget(gateway.id);
      return;
    }
    heardFrom.set(gateway.id, { host: from.address, port: from.port });
    directory.heard(gateway);
  });
  socket.on('error', (error) => log(`gossip: socket error: ${error.message}`));

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    // A socket bound to a unicast address gets no group traffic; bound to the group's address it gets only that.
    const address = multicast ? (everywhere ? undefined : multicastAddr) : host;
    socket.bind({ port, address }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  if (multicast) joinGroup(socket, multicastAddr, everywhere ? undefined : host, log);

  const targets = (): GossipEndpoint[] => {
    if (multicast) return [{ host: multicastAddr, port }];
    const unique = new Map<string, GossipEndpoint>();
    for (const endpoint of [...seeds, ...heardFrom.values()]) unique.set(`${endpoint.host}:${endpoint.port}`, endpoint);
    return [...unique.values()];
  };
  const sendToAll = (datagram: Buffer): Promise<void> =>
    Promise.all(
      targets().map(
        (target) =>
          new Promise<void>((resolve) =>
            socket.send(datagram, target.port, target.host, (error) => {
              if (!error) sent += 1;
              resolve();
            }),
          ),
      ),
    ).then(() => undefined);
  const announce = () => {
    directory.expire();
    for (const [id] of heardFrom) if (!directory.knows(id)) heardFrom.delete(id);
    void sendToAll(seal(directory.self(), secret));
  };
  announce();
  const timer = setInterval(announce, intervalMs);
  timer.unref();
  log(
    multicast
      ? `gossip: announcing on multicast ${multicastAddr}:${port}${everywhere ? '' : ` on the interface of ${host}`}`
      : `gossip: listening on ${host}:${port}, announcing to ${seeds.map((seed) => `${seed.host}:${seed.port}`).join(', ')}`,
  );

  return {
    stats: () => ({ sent, accepted, dropped: { ...drops.counts } }),
    address: () => socket.address(),
    stop: async () => {
      clearInterval(timer);
      // Its peers forget it now, instead of listing it (and its uptime) until it has fallen silent.
      await sendToAll(seal(directory.self(), secret, Date.now(), { leaving: true }));
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** Joins the group on `iface` (an interface's IPv4 address), or on the system's choice when undefined, and sends there too. */
function joinGroup(socket: dgram.Socket, group: string, iface: string | undefined, log: (message: string) => void): void {
  try {
    socket.addMembership(group, iface);
    if (iface) socket.setMulticastInterface(iface);
    socket.setMulticastLoopback(true);
    socket.setMulticastTTL(1);
  } catch (error) {
    log(`gossip: cannot join multicast group ${group} (${(error as Error).message}); set GATER_GOSSIP_SEEDS to the other gateways' host:port`);
  }
}
