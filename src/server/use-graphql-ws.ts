import type { Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';

export interface GraphQLWsOptions {
  /** Most operations one connection may run at once. Default 100. */
  maxSubscriptionsPerConnection?: number;
  /** Server pings this often so dead peers are found and idle links kept. Default 12 s. */
  keepAliveMs?: number;
  /** A connection that sends no ConnectionInit within this is closed. Default 3 s. */
  connectionInitWaitTimeoutMs?: number;
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/**
 * graphql-ws on the HTTP server's /graphql path. Every operation runs
 * through yoga's envelop (getEnveloped), so the plugins that shape HTTP
 * requests (error masking, context) apply to WebSocket operations too.
 */
export function useGraphQLWs(server: Server, yoga: YogaServerInstance<object, object>, options: GraphQLWsOptions = {}) {
  const { maxSubscriptionsPerConnection = 100, keepAliveMs = 12_000, connectionInitWaitTimeoutMs = 3_000 } = options;
  const wsServer = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const disposable = useServer(
    {
      connectionInitWaitTimeout: connectionInitWaitTimeoutMs,
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        if (Object.keys(ctx.subscriptions).length >= maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`a connection may run at most ${maxSubscriptionsPerConnection} operations at once`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          document,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
      },
    },
    wsServer,
    keepAliveMs,
  );
  return {
    async stop(): Promise<void> {
      for (const client of wsServer.clients) client.terminate();
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
