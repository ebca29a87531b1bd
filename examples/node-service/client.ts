import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { typePolicies, unionTypes } from './type-policies.js';

export interface GaterClient {
  apollo: ApolloClient;
  socket: Client;
  stop(): Promise<void>;
}

/** Context of an operation that must run on the WebSocket: an ack counts only on its consumer's connection. */
export const overSocket = { overSocket: true } as const;

/**
 * An Apollo client of the gateway at `url` (http://host:port/graphql):
 * subscriptions, and operations sent with the `overSocket` context, over
 * graphql-ws; the rest over HTTP.
 */
export function createGaterClient(url: string): GaterClient {
  const socket = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true });
  const onSocket = (operation: ApolloLink.Operation): boolean => {
    const definition = getMainDefinition(operation.query);
    return (definition.kind === 'OperationDefinition' && definition.operation === 'subscription') || operation.getContext()['overSocket'] === true;
  };
  const link = ApolloLink.split(onSocket, new GraphQLWsLink(socket), new HttpLink({ uri: url }));
  const apollo = new ApolloClient({ link, cache: new InMemoryCache({ typePolicies, possibleTypes: unionTypes }) });
  return {
    apollo,
    socket,
    async stop() {
      apollo.stop();
      await socket.dispose();
    },
  };
}
