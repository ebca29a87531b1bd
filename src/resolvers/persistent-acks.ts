import type { SettleOutcome } from '../store/persistent/types.js';
import type { NackAction } from '../subscriptions/persistent/persistent-hub.js';
import type { GatewayContext } from './context.js';
import { badUserInput, storeCall, subscriptionNotFound } from './errors.js';
import { checkSubscriptionName } from './persistent-input.js';
import { findStore } from './stores.js';
import { checkText, checkUuid } from './validate.js';

const MAX_REASON_LENGTH = 1_000;

interface SettleArgs {
  store?: string | null;
  subscription: string;
  eventId: string;
}

/** True when the event was in flight and now is not; SUBSCRIPTION_NOT_FOUND for an unknown subscription. */
function answer(subscription: string, outcome: SettleOutcome): boolean {
  if (outcome.kind === 'subscription_not_found') throw subscriptionNotFound(subscription);
  return outcome.kind === 'settled';
}

function target(ctx: GatewayContext, args: SettleArgs) {
  return {
    hub: ctx.persistent.hub(findStore(ctx, args.store)),
    subscription: checkSubscriptionName('subscription', args.subscription),
    eventId: checkUuid('eventId', args.eventId),
  };
}

/** The event is done for good; answered true only once that is committed. */
export async function ackEvent(ctx: GatewayContext, args: SettleArgs): Promise<boolean> {
  const { hub, subscription, eventId } = target(ctx, args);
  return answer(subscription, await storeCall(() => hub.ack(subscription, eventId)));
}

/** RETRY: deliver it again; PARK: set it aside until replayParked; SKIP: done, like an ack. */
export async function nackEvent(
  ctx: GatewayContext,
  args: SettleArgs & { action?: NackAction | null; reason?: string | null },
): Promise<boolean> {
  const { hub, subscription, eventId } = target(ctx, args);
  const reason = args.reason === null || args.reason === undefined ? null : checkText('reason', args.reason);
  if (reason !== null && reason.length > MAX_REASON_LENGTH) {
    throw badUserInput('reason', `is at most ${MAX_REASON_LENGTH} characters, got ${reason.length}`);
  }
  return answer(subscription, await storeCall(() => hub.nack(subscription, eventId, args.action ?? 'retry', reason)));
}
