import type { EventStore } from '../store/event-store.js';
import { StoreNotFoundError } from '../store/errors.js';
import type { StoreRegistry } from '../store/store-registry.js';

/** A `store` argument as graphql-js hands over an ID: a string, or a number when the client sent an integer. */
export type StoreArg = string | number | null | undefined;

/**
 * The one way from a request to a store. Resolvers get stores only from
 * here, so whatever a request may or may not do with a store is decided in
 * this one place.
 */
export class StoreDoor {
  constructor(private readonly registry: StoreRegistry) {}

  /** The store a request names, or the default store; STORE_NOT_FOUND for an unknown id. */
  open(storeArg: StoreArg): EventStore {
    const id = storeArg === null || storeArg === undefined ? undefined : String(storeArg);
    const store = this.registry.find(id);
    if (!store) throw new StoreNotFoundError(id ?? '');
    return store;
  }

  /** Every store the request may see. */
  all(): EventStore[] {
    return this.registry.all();
  }
}
