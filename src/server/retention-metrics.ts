import type { EventStore } from '../store/event-store.js';
import type { MetricFamily } from './prometheus-text.js';

/** The retention passes' progress, by store: read from each store's counters when /metrics is asked. */
export function retentionFamilies(stores: readonly EventStore[]): MetricFamily[] {
  const by = (value: (counters: EventStore['retention']['counters']) => number) =>
    stores.map((store) => ({ labels: { store: store.id }, value: value(store.retention.counters) }));
  return [
    {
      name: 'gater_retention_passes_total',
      type: 'counter',
      help: 'Retention passes this gateway ran, by store.',
      samples: by((c) => c.passes),
    },
    {
      name: 'gater_retention_erased_events_total',
      type: 'counter',
      help: 'Events this gateway erased because stream metadata (maxCount, maxAgeSeconds, truncateBefore) hid them, by store.',
      samples: by((c) => c.erasedEvents),
    },
    {
      name: 'gater_retention_erased_deliveries_total',
      type: 'counter',
      help: 'Persistent-subscription deliveries (in flight, due or parked) dropped with their erased events, by store.',
      samples: by((c) => c.erasedDeliveries),
    },
    {
      name: 'gater_retention_last_pass_timestamp_seconds',
      type: 'gauge',
      help: 'When this gateway last finished a retention pass, by store, in seconds since the Unix epoch; 0 before the first.',
      samples: by((c) => c.lastPassEpochMs / 1000),
    },
  ];
}
