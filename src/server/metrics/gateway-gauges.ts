import { Counter, Gauge, type Registry } from 'prom-client';
import type { Cluster } from '../../cluster/cluster.js';
import { CLUSTER_STATUSES, clusterStatus } from '../../cluster/cluster-status.js';
import type { Gossip } from '../../cluster/gossip/gossip.js';
import { NODE_HEALTHS, NODE_ROLES } from '../../cluster/node-health.js';
import type { EventStore } from '../../store/event-store.js';
import type { LiveSubscriptions } from '../../subscriptions/live-subscriptions.js';
import type { PersistentSubscriptions } from '../../subscriptions/persistent/persistent-subscriptions.js';
import type { BytesInFlight } from '../bytes-in-flight.js';
import type { InFlight } from '../in-flight.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { registerRetentionMetrics } from './retention-metrics.js';

export interface MetricSources {
  stores: readonly EventStore[];
  cluster: Cluster;
  live: LiveSubscriptions;
  persistent: PersistentSubscriptions;
  /** Gossip starts after the server listens, and not at all without a cluster secret. */
  gossip: () => Gossip | undefined;
  /** Work taken on and not yet answered, which a stop waits for. */
  inFlight: Pick<InFlight, 'count'>;
  /** Bytes of HTTP bodies and WebSocket messages being received, and refusals past their bound. */
  requestBytes: Pick<BytesInFlight, 'held' | 'maxBytes' | 'refusals'>;
}

/**
 * The gateway's counters and gauges, read from their sources at each scrape.
 * The counters are kept by the parts that count (the store counts its appends);
 * prom-client's counters only go up, so each collector resets its counter and
 * adds the count it reads.
 */
export function registerGatewayGauges(metrics: GatewayMetrics, sources: MetricSources): void {
  const registers = [metrics.registry];
  registerAppendCounters(registers, sources.stores);
  registerSubscriptionGauges(registers, sources);
  registerRequestGauge(registers, sources.inFlight);
  registerRequestBytes(registers, sources.requestBytes);
  registerClusterGauges(registers, sources.cluster);
  registerRetentionMetrics(registers, sources.stores);
  let gossipRegistered = false;
  // Without a cluster secret there is no gossip, and no gossip metric.
  metrics.onScrape(() => {
    const gossip = sources.gossip();
    if (gossipRegistered || !gossip) return;
    gossipRegistered = true;
    registerGossipCounters(registers, gossip);
  });
}

function registerAppendCounters(registers: Registry[], stores: readonly EventStore[]): void {
  new Counter({
    name: 'gater_appended_events_total',
    help: 'Events this gateway committed, by store.',
    labelNames: ['store'],
    registers,
    collect() {
      this.reset();
      for (const store of stores) this.inc({ store: store.id }, store.log.appended.events);
    },
  });
  new Counter({
    name: 'gater_append_batches_total',
    help: 'Group-commit transactions this gateway committed, by store; events over batches is the mean batch size.',
    labelNames: ['store'],
    registers,
    collect() {
      this.reset();
      for (const store of stores) this.inc({ store: store.id }, store.log.appended.batches);
    },
  });
}

function registerRequestGauge(registers: Registry[], inFlight: Pick<InFlight, 'count'>): void {
  new Gauge({
    name: 'gater_requests_in_flight',
    help: 'HTTP requests (but SSE streams) and graphql-ws queries and mutations taken on and not yet answered, the scrape included; a stopping gateway waits for them.',
    registers,
    collect() {
      this.set(inFlight.count);
    },
  });
}

function registerRequestBytes(registers: Registry[], requestBytes: MetricSources['requestBytes']): void {
  new Gauge({
    name: 'gater_request_bytes_in_flight',
    help: 'Bytes of HTTP bodies and WebSocket messages being received and not yet whole.',
    registers,
    collect() {
      this.set(requestBytes.held);
    },
  });
  new Gauge({
    name: 'gater_request_bytes_in_flight_max',
    help: 'GATER_MAX_REQUEST_BYTES_IN_FLIGHT: most bytes those may hold together.',
    registers,
    collect() {
      this.set(requestBytes.maxBytes);
    },
  });
  new Counter({
    name: 'gater_request_bytes_refusals_total',
    help: 'Requests refused because their bytes would have passed GATER_MAX_REQUEST_BYTES_IN_FLIGHT, by transport: HTTP posts answered 503, sockets closed with 1013.',
    labelNames: ['transport'],
    registers,
    collect() {
      this.reset();
      for (const [transport, count] of Object.entries(requestBytes.refusals)) this.inc({ transport }, count);
    },
  });
}

function registerSubscriptionGauges(registers: Registry[], { stores, live, persistent }: MetricSources): void {
  new Gauge({
    name: 'gater_live_subscriptions',
    help: 'Live subscriptions being served, by kind.',
    labelNames: ['kind'],
    registers,
    collect() {
      for (const [kind, value] of Object.entries(live.gauges().subscriptions)) this.set({ kind }, value);
    },
  });
  new Gauge({
    name: 'gater_tailers',
    help: 'Stores whose new events this gateway is reading for live subscribers.',
    registers,
    collect() {
      this.set(live.gauges().tailers);
    },
  });
  new Gauge({
    name: 'gater_persistent_consumers',
    help: 'Persistent-subscription consumers connected to this gateway, by store.',
    labelNames: ['store'],
    registers,
    collect() {
      for (const store of stores) this.set({ store: store.id }, persistent.hub(store).consumerCount);
    },
  });
}

function registerClusterGauges(registers: Registry[], cluster: Cluster): void {
  new Gauge({
    name: 'gater_cluster_status',
    help: 'The cluster as this gateway sees it: 1 for the current status, 0 for the others.',
    labelNames: ['status'],
    registers,
    collect() {
      const status = clusterStatus(cluster.nodes.map((node) => node.state));
      for (const each of CLUSTER_STATUSES) this.set({ status: each }, each === status ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gater_cluster_nodes',
    help: 'PostgreSQL nodes by role and health at their last probe.',
    labelNames: ['role', 'health'],
    registers,
    collect() {
      // Every pair, 0 where no node is: an alert on a count (no HEALTHY leader) needs the series while it is 0.
      for (const role of NODE_ROLES) for (const health of NODE_HEALTHS) this.set({ role, health }, 0);
      for (const { state } of cluster.nodes) this.inc({ role: state.role, health: state.health });
    },
  });
}

function registerGossipCounters(registers: Registry[], gossip: Gossip): void {
  new Counter({
    name: 'gater_gossip_packets_sent_total',
    help: 'Gossip packets this gateway sent.',
    registers,
    collect() {
      this.reset();
      this.inc(gossip.stats().sent);
    },
  });
  new Counter({
    name: 'gater_gossip_packets_accepted_total',
    help: 'Gossip packets received and taken.',
    registers,
    collect() {
      this.reset();
      this.inc(gossip.stats().accepted);
    },
  });
  new Counter({
    name: 'gater_gossip_packets_dropped_total',
    help: 'Gossip packets received and dropped, by reason: malformed, forged (bad signature), stale (clock skew), replayed.',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      for (const [reason, value] of Object.entries(gossip.stats().dropped)) this.inc({ reason }, value);
    },
  });
}
