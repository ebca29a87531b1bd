import type { Cluster } from '../cluster/cluster.js';
import type { Limits } from '../config.js';
import type { StoreRegistry } from '../store/store-registry.js';
import type { LiveSubscriptions } from '../subscriptions/live-subscriptions.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver may use; built fresh for each request. */
export interface GatewayServices {
  stores: StoreRegistry;
  cluster: Cluster;
  live: LiveSubscriptions;
  limits: Limits;
}

export interface GatewayContext extends GatewayServices {
  loaders: Loaders;
}

export function createContext(services: GatewayServices): GatewayContext {
  return { ...services, loaders: createLoaders() };
}
