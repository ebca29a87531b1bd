import type { Config } from '../../config.js';
import { ConfigError } from '../../config.js';
import type { GatewayDirectory } from '../gateway-directory.js';
import { gossipBindAddress } from './bind-address.js';
import { startGossip, type Gossip } from './gossip.js';

/** Gossip as configured, or none (and a log line saying why) when there is no secret to sign with. */
export async function startClusterGossip(config: Config, directory: GatewayDirectory, log: (message: string) => void): Promise<Gossip | undefined> {
  if (!config.clusterSecret) {
    log('gossip is off: EX_ESDB_CLUSTER_SECRET (or EX_ESDB_COOKIE, RELEASE_COOKIE) is not set, and unsigned gossip is not sent; this gateway lists only itself');
    return undefined;
  }
  let host: string;
  try {
    host = await gossipBindAddress(config.host);
  } catch (error) {
    throw new ConfigError('HOST', `gossip cannot listen on "${config.host}": ${(error as Error).message}; set HOST to an IPv4 address or a name that has one`);
  }
  try {
    return await startGossip({
      secret: config.clusterSecret,
      port: config.clusterPort,
      host,
      multicastAddr: config.gossipMulticastAddr,
      seeds: config.gossipSeeds,
      directory,
      log,
    });
  } catch (error) {
    throw new ConfigError('EX_ESDB_CLUSTER_PORT', `cannot listen for gossip on UDP port ${config.clusterPort}: ${(error as Error).message}`);
  }
}
