import type { Plugin } from 'graphql-yoga';

/**
 * Answers 404 to a request for any path but the GraphQL endpoint's that no
 * plugin before it answered. yoga takes every URL that ends with its
 * endpoint for it (`/anything/graphql`, `/x?next=/graphql`), so a proxy's
 * rule for `/graphql` alone, or a scanner, would find the API under other
 * paths too. Last among the plugins that serve paths of their own.
 */
export function useExactEndpoint(endpoint: string): Plugin {
  const withSlash = `${endpoint}/`;
  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname === endpoint || url.pathname === withSlash) return;
      endResponse(new fetchAPI.Response('', { status: 404, statusText: 'Not Found' }));
    },
  };
}
