import type { IncomingMessage } from 'node:http';
import type { Cluster, ReadConsistency } from '../cluster/cluster.js';
import type { Limits } from '../config.js';
import type { StoreRegistry } from '../store/store-registry.js';
import type { LiveSubscriptions } from '../subscriptions/live-subscriptions.js';
import type { PersistentSubscriptions } from '../subscriptions/persistent/persistent-subscriptions.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver may use; built fresh for each request. */
export interface GatewayServices {
  stores: StoreRegistry;
  cluster: Cluster;
  live: LiveSubscriptions;
  persistent: PersistentSubscriptions;
  limits: Limits;
}

export interface GatewayContext extends GatewayServices {
  loaders: Loaders;
  /** `leader` when the request sent `x-gater-consistency: leader`: its reads go to the leader, so it sees its own writes. */
  consistency: ReadConsistency;
}

/** What yoga hands the context factory: the Fetch request over HTTP, the upgrade request over graphql-ws. */
export interface RequestSource {
  request?: Request;
  req?: IncomingMessage;
}

const CONSISTENCY_HEADER = 'x-gater-consistency';

export function createContext(services: GatewayServices, source: RequestSource = {}): GatewayContext {
  const consistency = readConsistency(source);
  const stores = consistency === 'leader' ? services.stores.readingFromLeader() : services.stores;
  let loaders: Loaders | undefined;
  return {
    ...services,
    stores,
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
