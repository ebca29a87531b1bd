import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from './metrics/gateway-metrics.js';
import { registerGatewayGauges, type MetricSources } from './metrics/gateway-gauges.js';

export type { MetricSources } from './metrics/gateway-gauges.js';

/**
 * GET /metrics: the process' standard metrics, the gateway's counters and
 * gauges, and its latency histograms, in Prometheus' text format (prom-client).
 * The operation-duration histogram is filled by useOperationMetrics.
 */
export function useMetrics(metrics: GatewayMetrics, sources: MetricSources): Plugin {
  registerGatewayGauges(metrics, sources);
  return {
    async onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/metrics') return;
      const text = await metrics.scrape();
      endResponse(new fetchAPI.Response(text, { headers: { 'content-type': metrics.contentType } }));
    },
  };
}
