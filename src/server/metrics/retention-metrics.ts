import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventStore } from '../../store/event-store.js';

type RetentionCounters = EventStore['retention']['counters'];

/** The retention passes' progress, by store: read from each store's counters at each scrape. */
export function registerRetentionMetrics(registers: Registry[], stores: readonly EventStore[]): void {
  const counter = (name: string, help: string, value: (counters: RetentionCounters) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['store'],
      registers,
      collect() {
        this.reset();
        for (const store of stores) this.inc({ store: store.id }, value(store.retention.counters));
      },
    });
  counter('gater_retention_passes_total', 'Retention passes this gateway ran, by store.', (c) => c.passes);
  counter(
    'gater_retention_erased_events_total',
    'Events this gateway erased because stream metadata (maxCount, maxAgeSeconds, truncateBefore) hid them, by store.',
    (c) => c.erasedEvents,
  );
  counter(
    'gater_retention_erased_deliveries_total',
    'Persistent-subscription deliveries (in flight, due or parked) dropped with their erased events, by store.',
    (c) => c.erasedDeliveries,
  );
  new Gauge({
    name: 'gater_retention_last_pass_timestamp_seconds',
    help: 'When this gateway last finished a retention pass, by store, in seconds since the Unix epoch; 0 before the first.',
    labelNames: ['store'],
    registers,
    collect() {
      for (const store of stores) this.set({ store: store.id }, store.retention.counters.lastPassEpochMs / 1000);
    },
  });
}
