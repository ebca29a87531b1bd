import type { Cluster, ReadConsistency } from '../cluster/cluster.js';
import type { Limits } from '../config.js';
import type { StoreRegistry } from '../store/store-registry.js';
import type { LiveSubscriptions } from '../subscriptions/live-subscriptions.js';
import type { PersistentSubscriptions } from '../subscriptions/persistent/persistent-subscriptions.js';
import type { SubscriptionSlots } from '../subscriptions/subscription-slots.js';
import type { Loaders } from './loaders.js';
import type { RequestBudget } from './request-budget.js';
import type { StoreDoor } from './store-door.js';

/** What the gateway runs, once; each request's context is made from it. */
export interface GatewayServices {
  stores: StoreRegistry;
  cluster: Cluster;
  live: LiveSubscriptions;
  persistent: PersistentSubscriptions;
  limits: Limits;
  /** Places for subscriptions, per client and in all. */
  subscriptionSlots: SubscriptionSlots;
}

/** What every resolver may use; built fresh for each request. Stores are reached only through `door`. */
export interface GatewayContext extends Omit<GatewayServices, 'stores'> {
  door: StoreDoor;
  /** The request's batching loaders, made on first use. */
  loaders(): Loaders;
  /** `leader` when the request sent `x-gater-consistency: leader`: its reads go to the leader, so it sees its own writes. */
  consistency: ReadConsistency;
  /** What the appends of this request have written, against the per-request budget; made on first use. */
  requestBudget(): RequestBudget;
  /**
   * The consumer this request speaks for, as the key its acks carry: its graphql-ws connection's, or
   * that of its `x-gater-consumer-token` header; undefined over HTTP without one. Throws
   * BAD_USER_INPUT for a token too short to be a secret.
   */
  consumerKey(): Buffer | undefined;
  /** Who counts as one client for its limits: the credential's name, or the remote address when that names no one. */
  client(): string;
}
