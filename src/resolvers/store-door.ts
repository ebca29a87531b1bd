import type { Caller } from '../access/caller.js';
import type { Authentication } from '../access/authenticator.js';
import { ForbiddenError, type UnauthenticatedError } from '../access/errors.js';
import { allows, describePermission, rolesWith, type Permission } from '../access/permissions.js';
import type { EventStore } from '../store/event-store.js';
import { StoreNotFoundError } from '../store/errors.js';
import type { StoreRegistry } from '../store/store-registry.js';
import { activeSpan } from '../tracing.js';
import { shortened } from './errors.js';

/** A `store` argument as graphql-js hands over an ID: a string, or a number when the client sent an integer. */
export type StoreArg = string | number | null | undefined;

/**
 * The one way from a request to a store. Resolvers get stores only from
 * here, so whatever a request may do with a store is decided in this one
 * place: the caller's role must allow the operation, its store scope must
 * include the store, and the store it gets sees only the caller's streams.
 */
export class StoreDoor {
  /** The first store this request opened, for its log lines. */
  openedStore: string | undefined;

  constructor(
    private readonly registry: StoreRegistry,
    private readonly authentication: Authentication,
  ) {}

  /** Whether the request has a caller whose role allows `permission`. */
  may(permission: Permission): boolean {
    return 'caller' in this.authentication && allows(this.authentication.caller.role, permission);
  }

  /** Why the request has no caller: its credential is missing where one is needed, or not valid. */
  authenticationRefusal(): UnauthenticatedError | undefined {
    return 'refusal' in this.authentication ? this.authentication.refusal : undefined;
  }

  /** The caller, when its role allows `permission`: UNAUTHENTICATED without a valid credential, FORBIDDEN without the role. */
  require(permission: Permission): Caller {
    if ('refusal' in this.authentication) throw this.authentication.refusal;
    const { caller } = this.authentication;
    if (!allows(caller.role, permission)) {
      const roles = rolesWith(permission);
      throw new ForbiddenError(
        `role ${caller.role} may not ${describePermission(permission)}: that needs the ${roles.join(' or ')} role`,
        permission,
      );
    }
    return caller;
  }

  /**
   * The store a request names, or the default store, as the caller sees it:
   * reads find only the caller's streams, writes outside them are refused.
   * STORE_NOT_FOUND for an unknown id.
   */
  open(storeArg: StoreArg, permission: Permission): EventStore {
    const caller = this.require(permission);
    return this.storeFor(caller, storeArg).scopedTo(caller.scope);
  }

  /** A store for persistent subscriptions, which select across streams: only a caller scoped to every stream may use them. */
  openForPersistent(storeArg: StoreArg, permission: Permission): EventStore {
    const caller = this.require(permission);
    if (!caller.scope.isEveryStream) {
      throw new ForbiddenError('persistent subscriptions need a credential scoped to all streams', 'all streams');
    }
    return this.storeFor(caller, storeArg);
  }

  /** Every store the caller may read, as it sees them. */
  all(): EventStore[] {
    const caller = this.require('read');
    return this.registry
      .all()
      .filter((store) => caller.stores === null || caller.stores.includes(store.id))
      .map((store) => store.scopedTo(caller.scope));
  }

  private storeFor(caller: Caller, storeArg: StoreArg): EventStore {
    const id = storeArg === null || storeArg === undefined ? this.registry.defaultId : String(storeArg);
    // No store id is longer than 40 characters: an answer quotes no more of one than that.
    const shownId = shortened(id);
    if (caller.stores !== null && !caller.stores.includes(id)) {
      throw new ForbiddenError(`this credential may not use store "${shownId}"`, `store ${shownId}`);
    }
    const store = this.registry.find(id);
    if (!store) throw new StoreNotFoundError(shownId);
    this.openedStore ??= id;
    // The operation's span names the store it used.
    activeSpan().setAttribute('gater.store', id);
    return store;
  }
}
