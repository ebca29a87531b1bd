import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { anonymousAdminNotice } from './access-config.js';
import { createAuthenticator } from './access/authenticator.js';
import { createCluster, type Cluster } from './cluster/cluster.js';
import { startEmbeddedNode, type EmbeddedNode } from './cluster/embedded-node.js';
import type { Gossip } from './cluster/gossip/gossip.js';
import { startClusterGossip } from './cluster/gossip/start-cluster-gossip.js';
import type { Config } from './config.js';
import { fullLogger, pinoLogger, type Logger } from './log.js';
import { buildSchema } from './schema/index.js';
import { createGatewayServer } from './server/create-server.js';
import { startRetentionWorker } from './store/retention/retention-worker.js';
import { GatewayMetrics } from './server/metrics/gateway-metrics.js';
import { StoreRegistry } from './store/store-registry.js';
import { LiveSubscriptions } from './subscriptions/live-subscriptions.js';
import { PersistentSubscriptions } from './subscriptions/persistent/persistent-subscriptions.js';
import { SubscriptionSlots } from './subscriptions/subscription-slots.js';
import { startTracing } from './tracing-start.js';

export interface Gateway {
  /** http://host:port/graphql */
  url: string;
  port: number;
  stores: StoreRegistry;
  cluster: Cluster;
  live: LiveSubscriptions;
  persistent: PersistentSubscriptions;
  /** Absent when gossip is off (no cluster secret). */
  gossip: Gossip | undefined;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Where the gateway logs. Default: pino on stdout at `config.logLevel`. */
  log?: Logger;
}

/**
 * Starts the gateway in dependency order (nodes, cluster, stores, server) and
 * returns a stop that undoes it in reverse. A failure part-way stops what had
 * already started.
 */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const log = fullLogger(options.log ?? pinoLogger({ level: config.logLevel }));
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse().splice(0)) {
      await stop().catch((error) => log.error('stop failed', error));
    }
  };
  try {
    // First to start and last to stop, so that the spans of the stop itself are sent.
    const tracing = await startTracing(process.env, { info: (line) => log.info(line), warn: (line) => log.warn(line) });
    stops.push(() => tracing.stop());
    const metrics = new GatewayMetrics();
    let urls = config.nodes;
    let embedded: EmbeddedNode | undefined;
    if (urls.length === 0) {
      // The node's own lines (recovery of a stale server, where data is kept) are for the operator.
      const nodeLog = (line: string) => {
        if (line.startsWith('embedded node:')) log.info(line);
      };
      embedded = await startEmbeddedNode({ dataDir: config.dataDir, log: nodeLog, restartOnCrash: true });
      stops.push(() => embedded!.stop());
      urls = [embedded.url];
      log.info(`embedded PostgreSQL node started on port ${embedded.port} (GATER_DATA_DIR=${config.dataDir})`);
    }
    const { readMs: readTimeoutMs, writeMs: writeTimeoutMs } = config.timeouts;
    const cluster = createCluster({ urls, embedded: embedded !== undefined, log: log.info, ...config.health, readTimeoutMs, writeTimeoutMs });
    stops.push(() => cluster.stop());
    await cluster.probed;

    const stores = new StoreRegistry(config.stores, cluster, metrics.appendObservers);
    await stores.migrateAll();
    const retention = startRetentionWorker(stores.all(), { ...config.retention, log: log.info });
    stops.push(() => retention.stop());

    const live = new LiveSubscriptions({
      stores: stores.all(),
      connect: () => cluster.connectToLeader(),
      subscriberCapacity: config.subscriberBuffer,
      subscriberCapacityBytes: config.subscriptionBounds.subscriberBufferBytes,
      subscribersCapacityBytes: config.subscriptionBounds.subscriberBufferTotalBytes,
      log: log.info,
      observeDelivery: metrics.deliveryObservers,
    });
    stops.push(() => live.stop());

    const persistent = new PersistentSubscriptions({
      stores: stores.all(),
      connect: () => cluster.connectToLeader(),
      log: log.info,
    });
    // Runs after the sockets closed (stops run in reverse): what their consumers held goes back before the pools close.
    stops.push(() => persistent.stop());

    const authenticator = createAuthenticator(config.access);
    const anonymousAdmin = anonymousAdminNotice(config.access, config.host);
    if (anonymousAdmin) log.info(anonymousAdmin);
    let gossip: Gossip | undefined;
    const { sharedResultsBytes, slowConsumerBytes, slowConsumerTimeoutMs, maxPerClient, maxPerGateway } = config.subscriptionBounds;
    const subscriptionSlots = new SubscriptionSlots({ perClient: maxPerClient, perGateway: maxPerGateway });
    const { server, drain, stopWebSockets } = createGatewayServer({
      schema: buildSchema(),
      services: { stores, cluster, live, persistent, limits: config.limits, subscriptionSlots },
      access: { authenticator, config: config.access },
      gossip: () => gossip,
      log,
      ws: { maxSubscriptionsPerConnection: config.maxSubscriptionsPerConnection, sharedResultsBytes, slowConsumerBytes, slowConsumerTimeoutMs },
      corsOrigins: config.corsOrigins,
      bindHost: config.host,
      persistedDocuments: config.persistedDocuments,
      metrics,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    // Sockets close first so that every subscription ends before the live feed stops under it.
    stops.push(stopWebSockets);
    // The very first step: what was taken on is answered while everything under it still runs.
    stops.push(async () => {
      if (!(await drain(config.timeouts.shutdownMs))) {
        log.info(`requests still under way after ${config.timeouts.shutdownMs} ms (GATER_SHUTDOWN_TIMEOUT_MS): closing their connections`);
      }
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host}:${port}/graphql`;
    log.info(`serving ${url} (stores: ${config.stores.join(', ')})`);
    cluster.gateways.address = `http://${advertisedHost(config.host)}:${port}/graphql`;
    gossip = await startClusterGossip(config, cluster.gateways, log.info);
    const started = gossip;
    if (started) stops.push(() => started.stop());
    return { url, port, stores, cluster, live, persistent, gossip, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Other gateways cannot reach "every interface"; they get this machine's name instead. */
function advertisedHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return os.hostname();
  return host.includes(':') ? `[${host}]` : host;
}
