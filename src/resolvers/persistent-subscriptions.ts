import type { EventStore } from '../store/event-store.js';
import type { RecordedEvent } from '../store/types.js';
import type { SubscriptionStatus } from '../store/persistent/types.js';
import { SubscriptionNotFoundError } from '../store/errors.js';
import type { SaveSubscriptionInputShape } from '../schema/persistent-inputs.js';
import type { GatewayContext } from './context.js';
import { decodeNumberCursor, encodeCursor, toConnection, type Connection } from './cursors.js';
import { badUserInput } from './errors.js';
import { checkSubscriptionName, differingField, subscriptionOf } from './persistent-input.js';
import type { StoreArg } from './store-door.js';
import { checkPageSize } from './validate.js';

/** A persistent subscription as the API shows it: its status, with the store it is in (for its lag behind the head). */
export interface SubscriptionView extends SubscriptionStatus {
  store: EventStore;
}

interface NameArgs {
  store?: StoreArg;
  subscription: string;
}

/** Creates a persistent subscription, or changes the settings of the one of that name. */
export async function saveSubscription(ctx: GatewayContext, input: SaveSubscriptionInputShape): Promise<SubscriptionView> {
  const store = ctx.door.openForPersistent(input.store, 'admin');
  const { definition, settings } = subscriptionOf(input, ctx.limits);
  const outcome = await store.persistent.save(definition, settings);
  if (!outcome.ok) {
    const { field, problem } = differingField(definition, outcome.existing);
    throw badUserInput(field, problem);
  }
  const [status] = await ctx.persistent.hub(store).list({ name: definition.name });
  // Removed right after it was saved: show it as saved.
  return { store, ...(status ?? { ...outcome.subscription, checkpoint: outcome.subscription.readPosition, inFlightCount: 0, parkedCount: 0, consumerCount: 0 }) };
}

/** Answers whether there was such a subscription. Its consumers end with SUBSCRIPTION_NOT_FOUND. */
export function removeSubscription(ctx: GatewayContext, args: { store?: StoreArg; name: string }): Promise<boolean> {
  const store = ctx.door.openForPersistent(args.store, 'admin');
  const name = checkSubscriptionName('name', args.name);
  return store.persistent.remove(name);
}

export async function listSubscriptions(ctx: GatewayContext, args: { store?: StoreArg }): Promise<SubscriptionView[]> {
  const store = ctx.door.openForPersistent(args.store, 'admin');
  return (await ctx.persistent.hub(store).list()).map((status) => ({ store, ...status }));
}

/** Positions of the store's log past the subscription's checkpoint: 0 once it has caught up with the head. */
export async function subscriptionLag(ctx: GatewayContext, subscription: SubscriptionView): Promise<number> {
  const { headPosition } = await ctx.loaders().stats(subscription.store);
  return Math.max(0, headPosition - subscription.checkpoint);
}

export async function parkedEvents(
  ctx: GatewayContext,
  args: NameArgs & { first?: number | null; after?: string | null },
): Promise<Connection<RecordedEvent>> {
  const store = ctx.door.openForPersistent(args.store, 'admin');
  const subscription = checkSubscriptionName('subscription', args.subscription);
  const limit = checkPageSize('first', args.first, ctx.limits);
  const afterPosition = args.after ? decodeNumberCursor('after', 'position', args.after) : 0;
  const page = await store.persistent.readParked({ subscription, afterPosition, limit });
  if (!page) throw new SubscriptionNotFoundError(subscription);
  return toConnection(page.items, page.hasMore, (event) => encodeCursor('position', event.position));
}

/** Sends the parked events back to delivery; answers how many. */
export async function replayParked(ctx: GatewayContext, args: NameArgs): Promise<number> {
  const store = ctx.door.openForPersistent(args.store, 'admin');
  const subscription = checkSubscriptionName('subscription', args.subscription);
  const replayed = await store.persistent.replayParked(subscription);
  if (replayed === null) throw new SubscriptionNotFoundError(subscription);
  return replayed;
}
