import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { varyingOnOrigin, type CrossSitePolicy } from './cross-site-policy.js';

/**
 * Refuses, with 403 and `FORBIDDEN`, every GraphQL request that a page of
 * another origin could have made a browser send: see `CrossSitePolicy`.
 *
 * Not `@graphql-yoga/plugin-csrf-prevention`: it wants a custom header on
 * every request that has no content type or a form's, GETs included, which
 * would refuse GET queries and SSE from `EventSource` (which cannot set
 * headers). Here a GET stays a read (yoga refuses mutations over GET) and is
 * refused only when another site's page sent it.
 */
export function useCsrfPrevention(policy: CrossSitePolicy): Plugin {
  return {
    onRequestParse({ request }) {
      const why = policy.refusal(request.method, (name) => request.headers.get(name) ?? undefined);
      if (why !== undefined) {
        throw createGraphQLError(why, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
      }
    },
    onResponse({ response }) {
      if (policy.corsOrigins.length > 0) response.headers.set('vary', varyingOnOrigin(response.headers.get('vary')));
    },
  };
}
