import type { PersistentDelivery } from '../subscriptions/persistent/consumer.js';
import type { GatewayContext } from './context.js';
import { storeCall, subscriptionNotFound } from './errors.js';
import { checkSubscriptionName } from './persistent-input.js';
import { findStore } from './stores.js';

/** A new consumer of a persistent subscription: its deliveries, until it unsubscribes or the subscription is removed. */
export async function consumePersistent(
  ctx: GatewayContext,
  args: { store?: string | null; subscription: string },
): Promise<AsyncIterable<PersistentDelivery>> {
  const store = findStore(ctx, args.store);
  const subscription = checkSubscriptionName('subscription', args.subscription);
  const consumer = await storeCall(() => ctx.persistent.hub(store).consume(subscription));
  if (!consumer) throw subscriptionNotFound(subscription);
  return consumer;
}
