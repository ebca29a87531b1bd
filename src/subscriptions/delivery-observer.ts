/**
 * Told of each new event the moment the tailer handed it to the live subscribers of its
 * store (their queues, which the sockets drain): its `createdEpoch`, when it was committed.
 */
export type DeliveryObserver = (createdEpoch: number) => void;

/** Hands each store its own delivery observer, so that its labels are looked up once. */
export type DeliveryObservers = (storeId: string) => DeliveryObserver;
