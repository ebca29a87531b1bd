import type { NackAction, SettleOutcome } from '../store/persistent/types.js';
import { SubscriptionNotFoundError } from '../store/errors.js';
import type { GatewayContext } from './context.js';
import { badUserInput } from './errors.js';
import { checkSubscriptionName } from './persistent-input.js';
import type { StoreArg } from './store-door.js';
import { characters, checkText, checkUuid } from './validate.js';

const MAX_REASON_LENGTH = 1_000;

/** Most event ids one ackEvents call carries: a consumer's deliveries in flight are fewer (maxInFlight). */
export const MAX_ACKS_PER_CALL = 1_000;

interface SettleArgs {
  store?: StoreArg;
  subscription: string;
  eventId: string;
}

/**
 * True when the event was in flight, held by the consumer asking, and now is not (false for anyone
 * else's, which stays as it was); SUBSCRIPTION_NOT_FOUND for an unknown subscription.
 */
function answer(subscription: string, outcome: SettleOutcome): boolean {
  if (outcome.kind === 'subscription_not_found') throw new SubscriptionNotFoundError(subscription);
  return outcome.kind === 'settled';
}

function target(ctx: GatewayContext, args: SettleArgs) {
  return {
    hub: ctx.persistent.hub(ctx.door.openForPersistent(args.store, 'consume')),
    subscription: checkSubscriptionName('subscription', args.subscription),
    eventId: checkUuid('eventId', args.eventId),
  };
}

/** The event is done for good; answered true only once that is committed. */
export async function ackEvent(ctx: GatewayContext, args: SettleArgs): Promise<boolean> {
  const { hub, subscription, eventId } = target(ctx, args);
  return answer(subscription, await hub.ack(subscription, eventId, ctx.consumerKey() ?? null));
}

/**
 * Many acks of one subscription in one call, each answered as ackEvent answers it, in the order asked. They
 * go to the database together, in the ack batches of everyone's acks, instead of as one operation each.
 */
export async function ackEvents(ctx: GatewayContext, args: { store?: StoreArg; subscription: string; eventIds: readonly string[] }): Promise<boolean[]> {
  const hub = ctx.persistent.hub(ctx.door.openForPersistent(args.store, 'consume'));
  const subscription = checkSubscriptionName('subscription', args.subscription);
  if (args.eventIds.length > MAX_ACKS_PER_CALL) {
    throw badUserInput('eventIds', `holds at most ${MAX_ACKS_PER_CALL} event ids, got ${args.eventIds.length}`);
  }
  const eventIds = args.eventIds.map((eventId, index) => checkUuid(`eventIds[${index}]`, eventId));
  if (eventIds.length === 0) {
    // Nothing to ack; a name that names no subscription is still refused, as it is with ids.
    if ((await hub.list({ name: subscription })).length === 0) throw new SubscriptionNotFoundError(subscription);
    return [];
  }
  const ackKey = ctx.consumerKey() ?? null;
  const outcomes = await Promise.all(eventIds.map((eventId) => hub.ack(subscription, eventId, ackKey)));
  return outcomes.map((outcome) => answer(subscription, outcome));
}

/** RETRY: deliver it again; PARK: set it aside until replayParked; SKIP: done, like an ack. */
export async function nackEvent(
  ctx: GatewayContext,
  args: SettleArgs & { action?: NackAction | null; reason?: string | null },
): Promise<boolean> {
  const { hub, subscription, eventId } = target(ctx, args);
  const reason = args.reason === null || args.reason === undefined ? null : checkText('reason', args.reason);
  const length = reason === null ? 0 : characters(reason);
  if (length > MAX_REASON_LENGTH) {
    throw badUserInput('reason', `is at most ${MAX_REASON_LENGTH} characters, got ${length}`);
  }
  return answer(subscription, await hub.nack(subscription, eventId, ctx.consumerKey() ?? null, args.action ?? 'retry', reason));
}
