import { lookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';

/** Listening on this address means every interface. */
export const ALL_INTERFACES = '0.0.0.0';

/**
 * The IPv4 address gossip listens on for the gateway's HOST: gossip stays on
 * the interface the gateway serves on, and on every interface only when the
 * gateway does too.
 */
export async function gossipBindAddress(host: string): Promise<string> {
  if (host === ALL_INTERFACES || host === '::') return ALL_INTERFACES;
  if (isIPv4(host)) return host;
  // Gossip runs over IPv4; an IPv6 loopback HOST means "this machine only", which 127.0.0.1 keeps.
  if (host === '::1') return '127.0.0.1';
  if (isIPv6(host)) throw new Error(`gossip runs over IPv4 and "${host}" is an IPv6 address`);
  return (await lookup(host, { family: 4 })).address;
}
