import type { Plugin } from 'graphql-yoga';
import type { LiveSubscriptions } from '../subscriptions/live-subscriptions.js';

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
      ];
      endResponse(new fetchAPI.Response(`${lines.join('\n')}\n`, { headers: { 'content-type': 'text/plain; version=0.0.4' } }));
    },
  };
}
