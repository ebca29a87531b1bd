import type { GatewayView, NodeView } from './cluster-view.js';

/** What a gateway announces about itself. */
export interface GatewayInfo {
  id: string;
  /** Its GraphQL endpoint. */
  address: string;
  startedAt: Date;
  nodes: NodeView[];
}

export interface GatewayDirectoryOptions {
  id: string;
  startedAt: Date;
  /** This gateway's view of the nodes, read when it is listed or announced. */
  nodes: () => NodeView[];
  /** A peer not heard from for this long is forgotten. Default 5000 ms. */
  peerTimeoutMs?: number;
}

/** The gateways this one knows: itself, and the peers gossip has heard from lately. */
export class GatewayDirectory {
  readonly id: string;
  readonly startedAt: Date;
  /** Set once the server listens. */
  address = '';
  private readonly peers = new Map<string, { info: GatewayInfo; lastSeen: Date }>();
  private readonly listeners = new Set<() => void>();
  private readonly nodes: () => NodeView[];
  private readonly peerTimeoutMs: number;

  constructor({ id, startedAt, nodes, peerTimeoutMs = 5_000 }: GatewayDirectoryOptions) {
    this.id = id;
    this.startedAt = startedAt;
    this.nodes = nodes;
    this.peerTimeoutMs = peerTimeoutMs;
  }

  self(): GatewayInfo {
    return { id: this.id, address: this.address, startedAt: this.startedAt, nodes: this.nodes() };
  }

  heard(info: GatewayInfo, at = new Date()): void {
    const known = this.peers.get(info.id);
    this.peers.set(info.id, { info, lastSeen: at });
    if (!known || known.info.address !== info.address) this.changed();
  }

  knows(id: string): boolean {
    return this.peers.has(id);
  }

  /** Forgets a peer that said it is leaving. */
  forget(id: string): void {
    if (this.peers.delete(id)) this.changed();
  }

  /** Forgets peers that fell silent. */
  expire(now = Date.now()): void {
    let expired = false;
    for (const [id, peer] of this.peers) {
      if (now - peer.lastSeen.getTime() > this.peerTimeoutMs) {
        this.peers.delete(id);
        expired = true;
      }
    }
    if (expired) this.changed();
  }

  /** This gateway first, then its peers by id (gossip calls `expire` on every announcement). */
  list(): GatewayView[] {
    const peers = [...this.peers.values()]
      .sort((a, b) => a.info.id.localeCompare(b.info.id))
      .map(({ info, lastSeen }) => ({ ...info, lastSeen, self: false }));
    return [{ ...this.self(), lastSeen: new Date(), self: true }, ...peers];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
