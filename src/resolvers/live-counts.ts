import type { SelectionKind } from '../subscriptions/selection.js';
import type { GatewayContext } from './context.js';

/** How the API names each kind of live subscription: by the subscription field that makes it. */
const KIND_NAMES = {
  stream: 'BY_STREAM',
  all: 'ALL',
  type: 'BY_EVENT_TYPE',
  pattern: 'BY_EVENT_PATTERN',
  payload: 'BY_EVENT_PAYLOAD',
} as const satisfies Record<SelectionKind, string>;

export const LIVE_SUBSCRIPTION_KINDS = Object.values(KIND_NAMES);
export type LiveSubscriptionKind = (typeof LIVE_SUBSCRIPTION_KINDS)[number];

export interface LiveSubscriptionCount {
  kind: LiveSubscriptionKind;
  count: number;
}

/** The live subscriptions this gateway serves now, every kind once (0 included), for any caller who may read. */
export function liveSubscriptionCounts(ctx: GatewayContext): LiveSubscriptionCount[] {
  ctx.door.require('read');
  const { subscriptions } = ctx.live.gauges();
  return (Object.keys(KIND_NAMES) as SelectionKind[]).map((kind) => ({ kind: KIND_NAMES[kind], count: subscriptions[kind] }));
}
