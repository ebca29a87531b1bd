import type { RecordedEvent } from '../store/types.js';
import type { SubscriptionStatus } from '../store/persistent/types.js';
import type { GatewayContext } from './context.js';
import { decodeNumberCursor, encodeCursor, toConnection, type Connection } from './cursors.js';
import { badUserInput, storeCall, subscriptionNotFound } from './errors.js';
import { checkSubscriptionName, differingField, subscriptionOf, type SaveSubscriptionInput } from './persistent-input.js';
import { findStore } from './stores.js';
import { checkPageSize } from './validate.js';

interface NameArgs {
  store?: string | null;
  subscription: string;
}

/** Creates a persistent subscription, or changes the settings of the one of that name. */
export async function saveSubscription(ctx: GatewayContext, input: SaveSubscriptionInput): Promise<SubscriptionStatus> {
  const store = findStore(ctx, input.store);
  const { definition, settings } = subscriptionOf(input, ctx.limits);
  const outcome = await storeCall(() => store.persistent.save(definition, settings));
  if (!outcome.ok) {
    const { field, problem } = differingField(definition, outcome.existing);
    throw badUserInput(field, problem);
  }
  const [status] = await storeCall(() => ctx.persistent.hub(store).list({ name: definition.name }));
  // Removed right after it was saved: show it as saved.
  return status ?? { ...outcome.subscription, checkpoint: outcome.subscription.readPosition, inFlightCount: 0, parkedCount: 0, consumerCount: 0 };
}

/** Answers whether there was such a subscription. Its consumers end with SUBSCRIPTION_NOT_FOUND. */
export function removeSubscription(ctx: GatewayContext, args: { store?: string | null; name: string }): Promise<boolean> {
  const store = findStore(ctx, args.store);
  const name = checkSubscriptionName('name', args.name);
  return storeCall(() => store.persistent.remove(name));
}

export function listSubscriptions(ctx: GatewayContext, args: { store?: string | null }): Promise<SubscriptionStatus[]> {
  const store = findStore(ctx, args.store);
  return storeCall(() => ctx.persistent.hub(store).list());
}

export async function parkedEvents(
  ctx: GatewayContext,
  args: NameArgs & { first?: number | null; after?: string | null },
): Promise<Connection<RecordedEvent>> {
  const store = findStore(ctx, args.store);
  const subscription = checkSubscriptionName('subscription', args.subscription);
  const limit = checkPageSize('first', args.first, ctx.limits);
  const afterPosition = args.after ? decodeNumberCursor('after', 'position', args.after) : 0;
  const page = await storeCall(() => store.persistent.readParked({ subscription, afterPosition, limit }));
  if (!page) throw subscriptionNotFound(subscription);
  return toConnection(page.items, page.hasMore, (event) => encodeCursor('position', event.position));
}

/** Sends the parked events back to delivery; answers how many. */
export async function replayParked(ctx: GatewayContext, args: NameArgs): Promise<number> {
  const store = findStore(ctx, args.store);
  const subscription = checkSubscriptionName('subscription', args.subscription);
  const replayed = await storeCall(() => store.persistent.replayParked(subscription));
  if (replayed === null) throw subscriptionNotFound(subscription);
  return replayed;
}
