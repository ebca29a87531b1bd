import { getCORSHeadersByRequestAndOptions } from '@whatwg-node/server';
import type { CORSOptions } from 'graphql-yoga';
import { headerMemo } from './header-memo.js';

/** Reads one request header by its lowercase name; undefined when absent. */
export type HeaderReader = (name: string) => string | undefined;

/** The request media types a browser sends cross-site without asking first (no CORS preflight). */
const FORM_MEDIA_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * Which browser requests may reach an operation: those from the gateway's
 * own origin (GraphiQL), from `corsOrigins`, and from clients that are not
 * browsers (no `Origin` header). One policy serves yoga, the fast POST path
 * and the WebSocket upgrade, so the three cannot drift apart.
 */
export interface CrossSitePolicy {
  /** The origins of other sites whose pages may call the gateway. */
  readonly corsOrigins: readonly string[];
  /**
   * Why the page the request comes from may not call the gateway, or undefined when it has no
   * Origin header (not a browser), comes from the origin it is addressed to, or from an allowed one.
   */
  originRefusal(header: HeaderReader): string | undefined;
  /** Why a browser could have sent this request from any page without a preflight, or undefined when it may run. */
  refusal(method: string, header: HeaderReader): string | undefined;
  /** yoga's `cors` option: allow headers only for the allowed origins. */
  cors: (request: Request) => CORSOptions;
  /**
   * The headers yoga adds to every answer to this request, CORS's and `Vary`,
   * for answers written without yoga; undefined when there are none.
   */
  answerHeaders(header: HeaderReader): Record<string, string> | undefined;
}

/** A `Vary` header that names Origin: with origins allowed, the CORS headers depend on it, and a shared cache must not hand one origin's answer to another. */
export function varyingOnOrigin(vary: string | null | undefined): string {
  if (!vary) return 'Origin';
  return vary.toLowerCase().split(/\s*,\s*/).includes('origin') ? vary : `${vary}, Origin`;
}

/** The host a request names, without its port: `127.0.0.1`, `localhost`, `::1`. */
function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

/**
 * A gateway bound to a loopback address answers only requests addressed to a
 * loopback name: a page whose own host name was made to resolve to 127.0.0.1
 * (DNS rebinding) sends its own name in Host, and would otherwise count as
 * the gateway's own origin. Undefined, no check, for other bind addresses.
 */
export function loopbackHostCheck(bindHost: string): ((host: string | undefined) => boolean) | undefined {
  // HOST holds a bare IPv6 address (::1); a Host header brackets it.
  const bound = hostnameOf(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  const loopback = (name: string) => name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
  if (bound === undefined || !loopback(bound)) return undefined;
  return headerMemo((host) => {
    const name = host === undefined ? undefined : hostnameOf(host);
    return name !== undefined && loopback(name);
  });
}

/**
 * @param corsOrigins origins (`scheme://host[:port]`, as browsers send them)
 * whose pages may call the gateway: `GATER_CORS_ORIGINS`. Default none.
 * @param hostAllowed whether a request may name this Host (see `loopbackHostCheck`). Default: any.
 */
export function crossSitePolicy(corsOrigins: readonly string[] = [], hostAllowed?: (host: string | undefined) => boolean): CrossSitePolicy {
  const allowed = new Set(corsOrigins);

  const originRefusal = (header: HeaderReader): string | undefined => {
    if (hostAllowed && !hostAllowed(header('host'))) {
      return `requests addressed to ${header('host') ?? 'no host'} are refused: this gateway listens on a loopback address only`;
    }
    const origin = header('origin');
    if (origin === undefined || allowed.has(origin) || isSameOrigin(origin, header('host'))) return undefined;
    return `requests from pages of ${origin} are refused: that origin is not in GATER_CORS_ORIGINS`;
  };

  const refusal = (method: string, header: HeaderReader): string | undefined => {
    const refused = originRefusal(header);
    if (refused !== undefined) return refused;
    const origin = header('origin');
    // Fetch Metadata: an <img>, <script> or <link> of another site's page sends no Origin, but this.
    const site = header('sec-fetch-site');
    if (origin === undefined && (site === 'cross-site' || site === 'same-site')) {
      return 'requests that pages of other sites embed are refused';
    }
    if (method !== 'GET' && method !== 'HEAD') {
      const mediaType = header('content-type')?.split(';')[0]!.trim().toLowerCase();
      if (!mediaType || FORM_MEDIA_TYPES.has(mediaType)) {
        return `a ${method} with ${mediaType ? `content-type ${mediaType}` : 'no content-type'} is refused, as any page could send it: send application/json`;
      }
    }
    return undefined;
  };

  const cors = (request: Request): CORSOptions => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false;
    // Request headers (Authorization, x-gater-consistency, a client's own) are echoed from the preflight.
    return { origin, credentials: true, methods: ['GET', 'POST'], maxAge: 600 };
  };

  const answerHeaders = (header: HeaderReader): Record<string, string> | undefined => {
    if (allowed.size === 0) return undefined;
    const request = { headers: { get: (name: string) => header(name) ?? null } } as Request;
    const headers = getCORSHeadersByRequestAndOptions(request, cors(request)) ?? {};
    headers.Vary = varyingOnOrigin(headers.Vary);
    return headers;
  };

  return { corsOrigins: [...allowed], originRefusal, refusal, cors, answerHeaders };
}

/** The page's host (with its port) is the one the request was sent to: Origin and Host agree. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const page = new URL(origin);
    // Parsed with the page's scheme, so that an explicit default port (host:443) compares equal.
    return new URL(`${page.protocol}//${host}`).host === page.host;
  } catch {
    return false;
  }
}
