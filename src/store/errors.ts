import { RefusalError } from '../refusal-error.js';

/** The request named a store this gateway does not serve. */
export class StoreNotFoundError extends RefusalError {
  constructor(readonly storeId: string) {
    super(`store "${storeId}" does not exist`);
    this.name = 'StoreNotFoundError';
  }
}

/** The request named a persistent subscription that does not exist (or no longer does). */
export class SubscriptionNotFoundError extends RefusalError {
  constructor(readonly subscription: string) {
    super(`persistent subscription "${subscription}" does not exist`);
    this.name = 'SubscriptionNotFoundError';
  }
}

/** A write to a stream outside the caller's stream prefixes. */
export class StreamOutOfScopeError extends RefusalError {
  constructor(readonly streamId: string) {
    super(`stream "${streamId}" is outside the streams this credential may touch`);
    this.name = 'StreamOutOfScopeError';
  }
}
