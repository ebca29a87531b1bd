import type { EventStore } from '../store/event-store.js';
import type { Direction, RecordedEvent } from '../store/types.js';
import type { AllEventsArgs, EventPageArgs, StreamEventsArgs } from '../schema/event-inputs.js';
import type { GatewayContext } from './context.js';
import { cursorMax, decodeNumberCursor, emptyConnection, encodeCursor, streamVersionKind, toConnection, type Connection } from './cursors.js';
import type { StoreArg } from './store-door.js';
import { checkEventTypes, checkNonNegative, checkPageSize, checkStreamPrefix, checkUuid } from './validate.js';

/**
 * Where a page starts: after the cursor when there is one (exclusive),
 * else at the inclusive start the client gave. Null: nothing can follow.
 */
function startOf(
  field: string,
  kind: Parameters<typeof decodeNumberCursor>[1],
  direction: Direction,
  inclusiveStart: number | undefined,
  after: string | null | undefined,
): number | undefined | null {
  if (after === null || after === undefined) return inclusiveStart;
  const last = decodeNumberCursor(field, kind, after);
  const next = direction === 'forward' ? last + 1 : last - 1;
  return next < 0 || next > cursorMax(kind) ? null : next;
}

function directionOf(arg: EventPageArgs['direction']): Direction {
  return arg === 'BACKWARD' ? 'backward' : 'forward';
}

export async function streamEvents(
  ctx: GatewayContext,
  store: EventStore,
  streamId: string,
  args: StreamEventsArgs,
): Promise<Connection<RecordedEvent>> {
  const direction = directionOf(args.direction);
  const limit = checkPageSize('first', args.first, ctx.limits);
  const kind = streamVersionKind(store.id, streamId);
  const fromVersion = startOf('after', kind, direction, checkNonNegative('fromVersion', args.fromVersion), args.after);
  if (fromVersion === null) return emptyConnection();
  const page = await store.log.readStream({ streamId, direction, fromVersion, limit });
  return toConnection(page.items, page.hasMore, (event) => encodeCursor(kind, event.version));
}

export async function allEvents(ctx: GatewayContext, args: AllEventsArgs): Promise<Connection<RecordedEvent>> {
  const store = ctx.door.open(args.store, 'read');
  const direction = directionOf(args.direction);
  const limit = checkPageSize('first', args.first, ctx.limits);
  const fromPosition = startOf('after', 'position', direction, checkNonNegative('fromPosition', args.fromPosition), args.after);
  if (fromPosition === null) return emptyConnection();
  const types = args.filter?.eventTypes;
  const eventTypes = types === null || types === undefined ? undefined : checkEventTypes('filter.eventTypes', types);
  const prefix = args.filter?.streamPrefix;
  const streamPrefix = prefix === null || prefix === undefined ? undefined : checkStreamPrefix('filter.streamPrefix', prefix);
  if (eventTypes?.length === 0) return emptyConnection();
  const page = await store.log.readAll({ direction, fromPosition, eventTypes, streamPrefix, limit });
  return toConnection(page.items, page.hasMore, (event) => encodeCursor('position', event.position));
}

export async function eventById(ctx: GatewayContext, storeArg: StoreArg, id: string): Promise<RecordedEvent | null> {
  const store = ctx.door.open(storeArg, 'read');
  const uuid = checkUuid('id', id);
  return ctx.loaders().eventById(store).load(uuid);
}

