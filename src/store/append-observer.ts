/** Told of each group-commit batch a store committed: its events, and when its commit began (`performance.now()`). */
export type BatchObserver = (events: number, began: number) => void;

/**
 * Hands each store its own batch observer, so that what the observer needs per
 * store (a metric's labels) is looked up once, not on every batch.
 */
export type AppendObservers = (storeId: string) => BatchObserver;
