import type { PersistentDelivery } from '../subscriptions/persistent/consumer.js';
import { SubscriptionNotFoundError } from '../store/errors.js';
import { CONSUMER_TOKEN_HEADER } from './consumer-key.js';
import type { GatewayContext } from './context.js';
import { badUserInput } from './errors.js';
import { checkSubscriptionName } from './persistent-input.js';
import type { StoreArg } from './store-door.js';
import { untilExpiry } from './until-expiry.js';

/**
 * A new consumer of a persistent subscription: its deliveries, until it unsubscribes or the
 * subscription is removed. Only acks from the same graphql-ws connection, or carrying the same
 * consumer token, settle them.
 */
export async function consumePersistent(
  ctx: GatewayContext,
  args: { store?: StoreArg; subscription: string },
): Promise<AsyncIterable<PersistentDelivery>> {
  const store = ctx.door.openForPersistent(args.store, 'consume');
  const subscription = checkSubscriptionName('subscription', args.subscription);
  const ackKey = ctx.consumerKey();
  if (!ackKey) throw badUserInput(CONSUMER_TOKEN_HEADER, 'a consumer over HTTP sends this header (a secret it chose) and acks with it, so that nobody else can ack its events');
  const release = ctx.subscriptionSlots.take(ctx.client());
  let consumer;
  try {
    consumer = await ctx.persistent.hub(store).consume(subscription, ackKey);
  } catch (error) {
    release();
    throw error;
  }
  if (!consumer) {
    release();
    throw new SubscriptionNotFoundError(subscription);
  }
  consumer.whenEnded(release);
  return untilExpiry(ctx.door.require('consume'), consumer);
}
