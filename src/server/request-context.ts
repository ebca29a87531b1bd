import type { IncomingMessage } from 'node:http';
import type { ReadConsistency } from '../cluster/cluster.js';
import type { GatewayContext, GatewayServices } from '../resolvers/context.js';
import { createLoaders, type Loaders } from '../resolvers/loaders.js';
import { StoreDoor } from '../resolvers/store-door.js';

/** What yoga hands the context factory: the Fetch request over HTTP, the upgrade request over graphql-ws. */
export interface RequestSource {
  request?: Request;
  req?: IncomingMessage;
}

const CONSISTENCY_HEADER = 'x-gater-consistency';

/** A request's context: the gateway's services, seen as the request's headers ask. */
export function createContext({ stores, ...services }: GatewayServices, source: RequestSource = {}): GatewayContext {
  const consistency = readConsistency(source);
  let loaders: Loaders | undefined;
  return {
    ...services,
    door: new StoreDoor(consistency === 'leader' ? stores.readingFromLeader() : stores),
    consistency,
    // Made on first use: a subscription's context lives as long as it does, and most never batch a read.
    get loaders() {
      loaders ??= createLoaders();
      return loaders;
    },
  };
}

/** Only `leader` changes anything; any other value, like none, leaves reads to any healthy node. */
function readConsistency({ request, req }: RequestSource): ReadConsistency {
  const header = request?.headers.get(CONSISTENCY_HEADER) ?? req?.headers[CONSISTENCY_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim().toLowerCase() === 'leader' ? 'leader' : 'any';
}
