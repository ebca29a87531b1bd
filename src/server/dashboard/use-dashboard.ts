import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../log.js';
import type { CrossSitePolicy } from '../cross-site-policy.js';
import { DASHBOARD_PATH, dashboardFiles, type DashboardFile } from './dashboard-files.js';

/**
 * What the page may load and where it may connect: its own modules and the
 * gateway's graphql-ws endpoint, nothing inline, no frames around it. Lit's
 * styles are constructed style sheets, which style-src does not govern.
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The files are the same for every gateway of the process, so they are read and parsed once. */
let loadedFiles: Promise<Map<string, DashboardFile>> | undefined;

/**
 * GET /dashboard: the operator's page, and under /dashboard/ the modules it
 * is made of (see `dashboardFiles`): nothing else is served there. Modules
 * are answered under the gateway's cross-site policy, so a page of an origin
 * in `GATER_CORS_ORIGINS` may import them (yoga adds the CORS headers) and
 * embed a panel; the page itself may be opened from any link.
 */
export function useDashboard(policy: CrossSitePolicy, log: Logger): Plugin {
  const files = (loadedFiles ??= dashboardFiles());
  files.catch((error: unknown) => log.error('the dashboard cannot be served', error));

  return {
    async onRequest({ request, url, fetchAPI, endResponse }) {
      const { pathname } = url;
      if (pathname !== DASHBOARD_PATH && !pathname.startsWith(`${DASHBOARD_PATH}/`)) return;
      const answer = (status: number, body: string | null, headers: Record<string, string> = {}) =>
        endResponse(new fetchAPI.Response(body, { status, headers: { 'x-content-type-options': 'nosniff', ...headers } }));

      if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'only GET and HEAD\n', { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      const header = (name: string) => request.headers.get(name) ?? undefined;
      const isPage = pathname === DASHBOARD_PATH || pathname === `${DASHBOARD_PATH}/`;
      const refused = isPage ? policy.originRefusal(header) : policy.refusal(request.method, header);
      if (refused !== undefined) return answer(403, `${refused}\n`, { 'content-type': 'text/plain' });

      let file: DashboardFile | undefined;
      try {
        file = (await files).get(isPage ? DASHBOARD_PATH : pathname);
      } catch {
        return answer(500, 'the dashboard cannot be served: see the log\n', { 'content-type': 'text/plain' });
      }
      if (file === undefined) return answer(404, 'not found\n', { 'content-type': 'text/plain' });

      const headers: Record<string, string> = {
        'content-type': file.contentType,
        etag: file.etag,
        // Revalidated on each load, so a new version of the gateway is seen at once; unchanged files answer 304.
        'cache-control': 'no-cache',
        'referrer-policy': 'no-referrer',
      };
      if (isPage) headers['content-security-policy'] = PAGE_POLICY;
      if (request.headers.get('if-none-match') === file.etag) return answer(304, null, headers);
      return answer(200, request.method === 'HEAD' ? null : file.body, { ...headers, 'content-length': String(Buffer.byteLength(file.body)) });
    },
  };
}
