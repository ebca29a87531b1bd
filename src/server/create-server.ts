import { createServer, type Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import type { Logger } from '../log.js';
import { createContext, type GatewayServices } from '../resolvers/context.js';
import { errorMasking } from './use-error-masking.js';
import { useReadiness } from './use-readiness.js';

export interface ServerOptions {
  schema: GraphQLSchema;
  services: GatewayServices;
  log: Logger;
}

/** graphql-yoga at /graphql (GraphiQL in a browser), /health and /ready, on one HTTP server. */
export function createGatewayServer({ schema, services, log }: ServerOptions): Server {
  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: { title: 'Gater', defaultQuery: '{ stores { id eventCount headPosition } }' },
    // GraphiQL bundled into the page, so it works on machines with no route to a CDN.
    renderGraphiQL,
    context: () => createContext(services),
    maskedErrors: errorMasking(log),
    logging: false,
    plugins: [useReadiness(services.cluster)],
  });
  return createServer(yoga);
}
