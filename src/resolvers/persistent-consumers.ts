import type { PersistentDelivery } from '../subscriptions/persistent/consumer.js';
import { SubscriptionNotFoundError } from '../store/errors.js';
import type { GatewayContext } from './context.js';
import { checkSubscriptionName } from './persistent-input.js';
import type { StoreArg } from './store-door.js';

/** A new consumer of a persistent subscription: its deliveries, until it unsubscribes or the subscription is removed. */
export async function consumePersistent(
  ctx: GatewayContext,
  args: { store?: StoreArg; subscription: string },
): Promise<AsyncIterable<PersistentDelivery>> {
  const store = ctx.door.openForPersistent(args.store, 'consume');
  const subscription = checkSubscriptionName('subscription', args.subscription);
  const release = ctx.subscriptionSlots.take(ctx.client);
  let consumer;
  try {
    consumer = await ctx.persistent.hub(store).consume(subscription);
  } catch (error) {
    release();
    throw error;
  }
  if (!consumer) {
    release();
    throw new SubscriptionNotFoundError(subscription);
  }
  consumer.whenEnded(release);
  return consumer;
}
