import type { Plugin } from 'graphql-yoga';
import { readinessReport, type ReadinessSources } from './readiness-report.js';

/**
 * Yoga answers its own health check, empty, before any plugin runs, at every URL
 * that ends with `healthCheckEndpoint`; it cannot be turned off. This value ends
 * no URL a request can carry (a request target holds no line feed), so /health
 * is answered by `useReadiness` below.
 */
export const YOGA_HEALTH_CHECK_OFF = '/\n';

/** A new headers object for every response: the Fetch API layer writes the content length into the one it is given. */
const jsonHeaders = () => ({ 'content-type': 'application/json; charset=utf-8' });

/**
 * GET /health: 200 while the process serves HTTP, with whether it is shutting
 * down. GET /ready: 200 when it can serve writes, else 503; both in JSON saying
 * what was checked and, on a 503, why it failed (see readinessReport).
 */
export function useReadiness(sources: ReadinessSources): Plugin {
  return {
    async onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname === '/health') {
        const body = { alive: true, shuttingDown: sources.stopping(), uptimeSeconds: Math.round(process.uptime()) };
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 200, headers: jsonHeaders() }));
        return;
      }
      if (url.pathname !== '/ready') return;
      const report = await readinessReport(sources);
      endResponse(new fetchAPI.Response(JSON.stringify(report), { status: report.ready ? 200 : 503, headers: jsonHeaders() }));
    },
  };
}
