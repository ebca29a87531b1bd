import type { Plugin } from 'graphql-yoga';
import type { LiveSubscriptions } from '../subscriptions/live-subscriptions.js';

function processMemory(): string[] {
  const { rss, heapUsed } = process.memoryUsage();
  return [
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${rss}`,
    '# HELP nodejs_heap_used_bytes JavaScript heap in use, in bytes.',
    '# TYPE nodejs_heap_used_bytes gauge',
    `nodejs_heap_used_bytes ${heapUsed}`,
  ];
}

/** GET /metrics: the gateway's gauges in Prometheus' text format. */
export function useMetrics(live: LiveSubscriptions): Plugin {
  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/metrics') return;
      const { subscriptions, tailers } = live.gauges();
      const lines = [
        '# HELP gater_live_subscriptions Live subscriptions being served, by kind.',
        '# TYPE gater_live_subscriptions gauge',
        ...Object.entries(subscriptions).map(([kind, count]) => `gater_live_subscriptions{kind="${kind}"} ${count}`),
        '# HELP gater_tailers Stores whose new events this gateway is reading for live subscribers.',
        '# TYPE gater_tailers gauge',
        `gater_tailers ${tailers}`,
        ...processMemory(),
      ];
      endResponse(new fetchAPI.Response(`${lines.join('\n')}\n`, { headers: { 'content-type': 'text/plain; version=0.0.4' } }));
    },
  };
}
