import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL's page with its bundle, loaded on the first request for it. The
 * bundle is a 9 MB module: loaded at start, it took ~30 MB of every gateway's
 * heap, and the time to compile it, whether anyone opened GraphiQL or not.
 */
export async function renderBundledGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  return renderGraphiQL(options);
}
