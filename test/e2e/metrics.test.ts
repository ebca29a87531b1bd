import { expect, it } from 'vitest';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { consume, saveSubscription, waitForConsumers } from '../support/persistent.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { scrapeMetrics } from '../support/metrics.js';
import { useLiveGateway } from '../support/ws-client.js';

const live = useLiveGateway({ stores: ['default', 'audit'] });
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

  const { contentType, samples, text } = await scrape();
  expect(contentType).toBe('text/plain; version=0.0.4');
  const grown = (name: string) => samples.get(name)! - (before.get(name) ?? 0);
  expect(grown('gater_appended_events_total{store="default"}')).toBe(5);
  expect(grown('gater_appended_events_total{store="audit"}')).toBe(4);
  // One transaction for each append made one after the other.
  expect(grown('gater_append_batches_total{store="default"}')).toBe(2);
  expect(samples.get('gater_live_subscriptions{kind="stream"}')).toBe(1);
  expect(samples.get('gater_tailers')).toBe(1);
  expect(samples.get('gater_persistent_consumers{store="default"}')).toBe(1);
  expect(samples.get('gater_persistent_consumers{store="audit"}')).toBe(0);
  expect(samples.get('gater_cluster_status{status="HEALTHY"}')).toBe(1);
  expect(samples.get('gater_cluster_status{status="SPLIT_BRAIN"}')).toBe(0);
  expect(samples.get('gater_cluster_nodes{role="LEADER",health="HEALTHY"}')).toBe(1);
  expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
  // Without a cluster secret there is no gossip, and no gossip metric.
  expect(text).not.toContain('gater_gossip');
  // Every sample belongs to a family declared just before it.
  for (const name of new Set([...samples.keys()].map((key) => key.replace(/\{.*$/, '')))) {
    expect(text).toContain(`# TYPE ${name} `);
  }
});
