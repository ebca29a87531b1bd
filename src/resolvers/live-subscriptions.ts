import type { RecordedEvent } from '../store/types.js';
import type { StartPoint } from '../subscriptions/live-hub.js';
import { ALL_STREAMS, type Selection } from '../subscriptions/selection.js';
import type { GatewayContext } from './context.js';
import { badUserInput } from './errors.js';
import type { StoreArg } from './store-door.js';
import { checkJson, checkName, checkNonNegative, checkStreamId } from './validate.js';
import { untilExpiry } from './until-expiry.js';

interface StartArgs {
  store?: StoreArg;
  fromPosition?: number | null;
}

function startOf(args: StartArgs & { fromVersion?: number | null }): StartPoint {
  return {
    fromVersion: checkNonNegative('fromVersion', args.fromVersion),
    fromPosition: checkNonNegative('fromPosition', args.fromPosition),
  };
}

/** A pattern or payload to match events with: an object, held to the depth and size of an event's JSON, with nothing PostgreSQL's jsonb refuses. */
function jsonObject(field: string, value: unknown, limits: GatewayContext['limits']): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badUserInput(field, 'must be a JSON object');
  }
  checkJson(field, value, limits);
  return value as Record<string, unknown>;
}

async function subscribe(ctx: GatewayContext, args: StartArgs, selection: Selection, start: StartPoint): Promise<AsyncIterable<RecordedEvent>> {
  const store = ctx.door.open(args.store, 'read');
  const release = ctx.subscriptionSlots.take(ctx.client());
  try {
    return untilExpiry(ctx.door.require('read'), await ctx.live.subscribe(store, selection, start, release));
  } catch (error) {
    release();
    throw error;
  }
}

export function byStream(ctx: GatewayContext, args: StartArgs & { streamId: string; fromVersion?: number | null }) {
  const start = startOf(args);
  if (args.streamId === ALL_STREAMS) {
    if (start.fromVersion !== undefined) throw badUserInput('fromVersion', `the ${ALL_STREAMS} stream has no versions: start it with fromPosition`);
    return subscribe(ctx, args, { kind: 'all' }, start);
  }
  if (start.fromVersion !== undefined && start.fromPosition !== undefined) {
    throw badUserInput('fromVersion', 'give either fromVersion or fromPosition, not both');
  }
  return subscribe(ctx, args, { kind: 'stream', streamId: checkStreamId('streamId', args.streamId) }, start);
}

export function byEventType(ctx: GatewayContext, args: StartArgs & { eventType: string }) {
  return subscribe(ctx, args, { kind: 'type', eventType: checkName('eventType', 'an event type', args.eventType) }, startOf(args));
}

export function byEventPattern(ctx: GatewayContext, args: StartArgs & { pattern?: unknown }) {
  return subscribe(ctx, args, { kind: 'pattern', pattern: jsonObject('pattern', args.pattern, ctx.limits) }, startOf(args));
}

export function byEventPayload(ctx: GatewayContext, args: StartArgs & { payload?: unknown }) {
  return subscribe(ctx, args, { kind: 'payload', payload: jsonObject('payload', args.payload, ctx.limits) }, startOf(args));
}
