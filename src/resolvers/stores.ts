import type { EventStore } from '../store/event-store.js';
import type { GatewayContext } from './context.js';
import { storeNotFound } from './errors.js';

/** The store a request names, or the default store; STORE_NOT_FOUND for an unknown id. */
export function findStore(ctx: GatewayContext, storeId: string | null | undefined): EventStore {
  const store = ctx.stores.find(storeId);
  if (!store) throw storeNotFound(storeId ?? '');
  return store;
}
