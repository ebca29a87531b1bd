import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NodeView } from '../cluster-view.js';
import type { GatewayInfo } from '../gateway-directory.js';
import { NODE_HEALTHS, NODE_ROLES } from '../node-health.js';
import { maskUrl } from '../../masked-url.js';

/**
 * A gossip datagram is three lines:
 *
 *   gater-gossip/1
 *   <HMAC-SHA256 of the third line under the cluster secret, hex>
 *   {"ts":<ms since epoch>,"nonce":"<16 random bytes, hex>","gateway":{id, address, startedAt, nodes}}
 *
 * with `"leaving":true` in the last announcement of a gateway that stops, so
 * that its peers forget it at once instead of once it has fallen silent.
 * Gateways of versions before it ignore the key.
 *
 * The signature covers the timestamp and the nonce, so a packet can be
 * neither forged nor altered, and a captured one can only be replayed whole,
 * which the receiver's replay guard catches.
 */
const MAGIC = 'gater-gossip/1';
const SIGNATURE_HEX_LENGTH = 64;
/** Well under the largest UDP payload; a gateway's view of a handful of nodes is a few hundred bytes. */
export const MAX_PACKET_BYTES = 60_000;

export interface Packet {
  ts: number;
  nonce: string;
  gateway: GatewayInfo;
  /** The gateway is stopping: forget it now. */
  leaving: boolean;
}

export type Opened = { ok: true; packet: Packet } | { ok: false; reason: 'malformed' | 'forged' };

export function seal(gateway: GatewayInfo, secret: string, now = Date.now(), { leaving = false } = {}): Buffer {
  const payload = JSON.stringify({
    ts: now,
    nonce: randomBytes(16).toString('hex'),
    gateway: { ...gateway, startedAt: gateway.startedAt.getTime() },
    ...(leaving ? { leaving: true } : {}),
  });
  return Buffer.from(`${MAGIC}\n${sign(payload, secret)}\n${payload}`, 'utf8');
}

/** Checks the signature before looking at anything else in the packet. */
export function open(datagram: Buffer, secret: string): Opened {
  if (datagram.length > MAX_PACKET_BYTES) return { ok: false, reason: 'malformed' };
  const text = datagram.toString('utf8');
  const firstBreak = text.indexOf('\n');
  const secondBreak = text.indexOf('\n', firstBreak + 1);
  if (firstBreak < 0 || secondBreak < 0 || text.slice(0, firstBreak) !== MAGIC) return { ok: false, reason: 'malformed' };
  const signature = text.slice(firstBreak + 1, secondBreak);
  const payload = text.slice(secondBreak + 1);
  if (!/^[0-9a-f]+$/.test(signature) || signature.length !== SIGNATURE_HEX_LENGTH) return { ok: false, reason: 'malformed' };
  if (!timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(sign(payload, secret), 'hex'))) return { ok: false, reason: 'forged' };
  const packet = parsePacket(payload);
  return packet ? { ok: true, packet } : { ok: false, reason: 'malformed' };
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 1_000;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isNumberOrNull = (value: unknown): value is number | null => value === null || (typeof value === 'number' && Number.isFinite(value));

/** A signed packet comes from a holder of the secret, but its shape is still checked: that holder may run another version. */
function parsePacket(payload: string): Packet | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isObject(raw) || !isTime(raw.ts) || !isText(raw.nonce) || !isObject(raw.gateway)) return undefined;
  const { id, address, startedAt, nodes } = raw.gateway;
  if (!isText(id) || !isText(address) || !isTime(startedAt) || !Array.isArray(nodes)) return undefined;
  const views = nodes.map(parseNode);
  if (views.some((view) => view === undefined)) return undefined;
  const gateway = { id, address, startedAt: new Date(startedAt), nodes: views as NodeView[] };
  return { ts: raw.ts, nonce: raw.nonce, gateway, leaving: raw.leaving === true };
}

const ROLES = new Set<string>(NODE_ROLES);
const HEALTHS = new Set<string>(NODE_HEALTHS);

function parseNode(raw: unknown): NodeView | undefined {
  if (!isObject(raw)) return undefined;
  const { id, address, role, health, latencyMs, replicationLagMs, lastSeen, startedAt, embedded } = raw;
  const valid =
    isText(id) &&
    isText(address) &&
    ROLES.has(role as string) &&
    HEALTHS.has(health as string) &&
    isNumberOrNull(latencyMs) &&
    isNumberOrNull(replicationLagMs) &&
    isTimeOrNull(lastSeen) &&
    // Absent from peers of versions before it was added.
    (startedAt === undefined || isTimeOrNull(startedAt)) &&
    typeof embedded === 'boolean';
  if (!valid) return undefined;
  return {
    id,
    // This gateway never sends a password in a node's address; a peer of another version is not trusted to.
    address: maskUrl(address),
    role: role as NodeView['role'],
    health: health as NodeView['health'],
    latencyMs,
    replicationLagMs,
    lastSeen: lastSeen === null ? null : new Date(lastSeen as string),
    startedAt: typeof startedAt === 'string' ? new Date(startedAt) : null,
    embedded,
  };
}

function isTimeOrNull(value: unknown): boolean {
  return value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
}
