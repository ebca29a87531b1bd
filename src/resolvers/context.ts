import type { Cluster } from '../cluster/cluster.js';
import type { Limits } from '../config.js';
import type { StoreRegistry } from '../store/store-registry.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver may use; built fresh for each request. */
export interface GatewayContext {
  stores: StoreRegistry;
  cluster: Cluster;
  limits: Limits;
  loaders: Loaders;
}

export interface GatewayServices {
  stores: StoreRegistry;
  cluster: Cluster;
  limits: Limits;
}

export function createContext(services: GatewayServices): GatewayContext {
  return { ...services, loaders: createLoaders() };
}
