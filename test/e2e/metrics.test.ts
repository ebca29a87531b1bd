import { expect, it } from 'vitest';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { consume, saveSubscription, waitForConsumers } from '../support/persistent.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { scrapeMetrics } from '../support/metrics.js';
import { askOverWs, useLiveGateway } from '../support/ws-client.js';

const live = useLiveGateway({ stores: ['default', 'audit', 'quiet'] });
const scrape = () => scrapeMetrics(live.gw.origin);

it('reports appends, subscriptions, consumers and the cluster in Prometheus text', async () => {
  const before = (await scrape()).samples;
  await appendSuccess(live.gw, { streamId: 'metered', events: newEvents(3) });
  await appendSuccess(live.gw, { streamId: 'metered', events: newEvents(2) });
  await appendSuccess(live.gw, { store: 'audit', streamId: 'metered', events: newEvents(4) });
  await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'metered' });
  await saveSubscription(live.gw, { name: 'metered-consumers', type: 'BY_STREAM', selector: 'metered' });
  consume(live.ws, 'metered-consumers');
  await waitForConsumers(live.gw, 1);

  const { contentType, families, samples, text } = await scrape();
  expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  const grown = (name: string) => samples.get(name)! - (before.get(name) ?? 0);
  expect(grown('gater_appended_events_total{store="default"}')).toBe(5);
  expect(grown('gater_appended_events_total{store="audit"}')).toBe(4);
  // One transaction for each append made one after the other.
  expect(grown('gater_append_batches_total{store="default"}')).toBe(2);
  expect(samples.get('gater_live_subscriptions{kind="stream"}')).toBe(1);
  expect(samples.get('gater_tailers')).toBe(1);
  // Subscriptions are not requests in flight; the scrape that reads the gauge is.
  expect(samples.get('gater_requests_in_flight')).toBe(1);
  expect(samples.get('gater_persistent_consumers{store="default"}')).toBe(1);
  expect(samples.get('gater_persistent_consumers{store="audit"}')).toBe(0);
  expect(samples.get('gater_cluster_status{status="HEALTHY"}')).toBe(1);
  expect(samples.get('gater_cluster_status{status="SPLIT_BRAIN"}')).toBe(0);
  expect(samples.get('gater_cluster_nodes{role="LEADER",health="HEALTHY"}')).toBe(1);
  // The pairs no node is in are there too, at 0: an alert on "no healthy leader" needs the series.
  expect(samples.get('gater_cluster_nodes{role="LEADER",health="DOWN"}')).toBe(0);
  expect(samples.get('gater_cluster_nodes{role="UNKNOWN",health="SUSPECT"}')).toBe(0);
  // Without a cluster secret there is no gossip, and no gossip metric.
  expect(text).not.toContain('gater_gossip');
  // Every sample belongs to a declared family (a histogram's samples to the histogram).
  for (const name of new Set([...samples.keys()].map((key) => key.replace(/\{.*$/, '')))) {
    expect(families.has(name) || families.get(name.replace(/_(bucket|sum|count)$/, ''))?.type === 'HISTOGRAM', name).toBe(true);
  }
});

it("reports the process' standard metrics under the names dashboards look for", async () => {
  const { families, samples } = await scrape();
  const expected = {
    process_cpu_user_seconds_total: 'COUNTER',
    process_cpu_system_seconds_total: 'COUNTER',
    process_start_time_seconds: 'GAUGE',
    process_resident_memory_bytes: 'GAUGE',
    process_open_fds: 'GAUGE',
    process_max_fds: 'GAUGE',
    nodejs_eventloop_lag_seconds: 'GAUGE',
    nodejs_eventloop_lag_p99_seconds: 'GAUGE',
    nodejs_heap_size_used_bytes: 'GAUGE',
    nodejs_heap_size_total_bytes: 'GAUGE',
    nodejs_external_memory_bytes: 'GAUGE',
    nodejs_heap_space_size_used_bytes: 'GAUGE',
    nodejs_active_handles_total: 'GAUGE',
    nodejs_version_info: 'GAUGE',
    nodejs_gc_duration_seconds: 'HISTOGRAM',
  };
  for (const [name, type] of Object.entries(expected)) expect(families.get(name)?.type, name).toBe(type);
  expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
  expect(samples.get('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  expect(samples.get('process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
  expect(samples.get(`nodejs_version_info{version="${process.version}",major="${process.versions.node.split('.')[0]}",minor="${process.versions.node.split('.')[1]}",patch="${process.versions.node.split('.')[2]}"}`)).toBe(1);
});

it('histograms count operations, group-commit batches and live deliveries as traffic comes', async () => {
  const before = (await scrape()).samples;
  const sub = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'timed' });
  await appendSuccess(live.gw, { streamId: 'timed', events: newEvents(3) });
  await appendSuccess(live.gw, { streamId: 'timed', events: newEvents(4) });
  await sub.waitForEvents(7);
  expect((await live.gw.gql('{ stores { id } }')).errors).toBeUndefined();
  expect((await askOverWs(live.ws.client, 'query StoresOverWs { stores { id } }')).errors).toBeUndefined();

  const { samples } = await scrape();
  const grown = (name: string) => (samples.get(name) ?? 0) - (before.get(name) ?? 0);
  // Two appends one after the other: two batches, of 3 and 4 events, each with its commit timed.
  expect(grown('gater_append_batch_events_count{store="default"}')).toBe(2);
  expect(grown('gater_append_batch_events_sum{store="default"}')).toBe(7);
  expect(grown('gater_append_batch_events_bucket{le="2",store="default"}')).toBe(0);
  expect(grown('gater_append_batch_events_bucket{le="5",store="default"}')).toBe(2);
  expect(grown('gater_append_commit_duration_seconds_count{store="default"}')).toBe(2);
  expect(grown('gater_append_commit_duration_seconds_sum{store="default"}')).toBeGreaterThan(0);
  // Every store's series is there from the start, at 0 until it appends.
  expect(samples.get('gater_append_batch_events_count{store="quiet"}')).toBe(0);
  expect(samples.get('gater_live_delivery_latency_seconds_count{store="quiet"}')).toBe(0);
  // Every event the subscriber got had been handed over by the store's tailer, and timed then.
  expect(grown('gater_live_delivery_latency_seconds_count{store="default"}')).toBe(7);
  expect(grown('gater_operation_duration_seconds_count{type="mutation",name="Append"}')).toBe(2);
  expect(grown('gater_operation_duration_seconds_count{type="query",name="anonymous"}')).toBe(1);
  expect(grown('gater_operation_duration_seconds_count{type="query",name="StoresOverWs"}')).toBe(1);
  // A subscription lasts as long as its client wants: it is not an operation timed.
  expect([...samples.keys()].some((key) => key.includes('type="subscription"'))).toBe(false);
  expect(grown('gater_operation_duration_seconds_bucket{le="+Inf",type="mutation",name="Append"}')).toBe(2);
});
