import type { Plugin } from 'graphql-yoga';
import type { Cluster } from '../cluster/cluster.js';
import { CLUSTER_STATUSES, clusterStatus } from '../cluster/cluster-status.js';
import type { Gossip } from '../cluster/gossip/gossip.js';
import type { EventStore } from '../store/event-store.js';
import type { LiveSubscriptions } from '../subscriptions/live-subscriptions.js';
import type { PersistentSubscriptions } from '../subscriptions/persistent/persistent-subscriptions.js';
import { prometheusText, type MetricFamily } from './prometheus-text.js';
import { retentionFamilies } from './retention-metrics.js';

export interface MetricSources {
  stores: readonly EventStore[];
  cluster: Cluster;
  live: LiveSubscriptions;
  persistent: PersistentSubscriptions;
  /** Gossip starts after the server listens, and not at all without a cluster secret. */
  gossip: () => Gossip | undefined;
}

function appendFamilies(stores: readonly EventStore[]): MetricFamily[] {
  return [
    {
      name: 'gater_appended_events_total',
      type: 'counter',
      help: 'Events this gateway committed, by store.',
      samples: stores.map((store) => ({ labels: { store: store.id }, value: store.log.appended.events })),
    },
    {
      name: 'gater_append_batches_total',
      type: 'counter',
      help: 'Group-commit transactions this gateway committed, by store; events over batches is the mean batch size.',
      samples: stores.map((store) => ({ labels: { store: store.id }, value: store.log.appended.batches })),
    },
  ];
}

function subscriptionFamilies({ stores, live, persistent }: MetricSources): MetricFamily[] {
  const { subscriptions, tailers } = live.gauges();
  return [
    {
      name: 'gater_live_subscriptions',
      type: 'gauge',
      help: 'Live subscriptions being served, by kind.',
      samples: Object.entries(subscriptions).map(([kind, value]) => ({ labels: { kind }, value })),
    },
    {
      name: 'gater_tailers',
      type: 'gauge',
      help: 'Stores whose new events this gateway is reading for live subscribers.',
      samples: [{ value: tailers }],
    },
    {
      name: 'gater_persistent_consumers',
      type: 'gauge',
      help: 'Persistent-subscription consumers connected to this gateway, by store.',
      samples: stores.map((store) => ({ labels: { store: store.id }, value: persistent.hub(store).consumerCount })),
    },
  ];
}

function clusterFamilies(cluster: Cluster): MetricFamily[] {
  const states = cluster.nodes.map((node) => node.state);
  const status = clusterStatus(states);
  const counts = new Map<string, { role: string; health: string; value: number }>();
  for (const { role, health } of states) {
    const key = `${role}/${health}`;
    counts.set(key, { role, health, value: (counts.get(key)?.value ?? 0) + 1 });
  }
  return [
    {
      name: 'gater_cluster_status',
      type: 'gauge',
      help: 'The cluster as this gateway sees it: 1 for the current status, 0 for the others.',
      samples: CLUSTER_STATUSES.map((each) => ({ labels: { status: each }, value: each === status ? 1 : 0 })),
    },
    {
      name: 'gater_cluster_nodes',
      type: 'gauge',
      help: 'PostgreSQL nodes by role and health at their last probe.',
      samples: [...counts.values()].map(({ role, health, value }) => ({ labels: { role, health }, value })),
    },
  ];
}

function gossipFamilies(gossip: Gossip | undefined): MetricFamily[] {
  if (!gossip) return [];
  const { sent, accepted, dropped } = gossip.stats();
  return [
    { name: 'gater_gossip_packets_sent_total', type: 'counter', help: 'Gossip packets this gateway sent.', samples: [{ value: sent }] },
    {
      name: 'gater_gossip_packets_accepted_total',
      type: 'counter',
      help: 'Gossip packets received and taken.',
      samples: [{ value: accepted }],
    },
    {
      name: 'gater_gossip_packets_dropped_total',
      type: 'counter',
      help: 'Gossip packets received and dropped, by reason: malformed, forged (bad signature), stale (clock skew), replayed.',
      samples: Object.entries(dropped).map(([reason, value]) => ({ labels: { reason }, value })),
    },
  ];
}

function processFamilies(): MetricFamily[] {
  const { rss, heapUsed } = process.memoryUsage();
  return [
    { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size in bytes.', samples: [{ value: rss }] },
    { name: 'nodejs_heap_used_bytes', type: 'gauge', help: 'JavaScript heap in use, in bytes.', samples: [{ value: heapUsed }] },
  ];
}

/** GET /metrics: the gateway's counters and gauges in Prometheus' text format. */
export function useMetrics(sources: MetricSources): Plugin {
  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/metrics') return;
      const text = prometheusText([
        ...appendFamilies(sources.stores),
        ...retentionFamilies(sources.stores),
        ...subscriptionFamilies(sources),
        ...clusterFamilies(sources.cluster),
        ...gossipFamilies(sources.gossip()),
        ...processFamilies(),
      ]);
      endResponse(new fetchAPI.Response(text, { headers: { 'content-type': 'text/plain; version=0.0.4' } }));
    },
  };
}
