import type { EventStore } from '../store/event-store.js';
import type { StreamSummary } from '../store/types.js';
import type { GatewayContext } from './context.js';
import { decodeCursor, encodeCursor, toConnection, type Connection } from './cursors.js';
import type { StoreArg } from './store-door.js';
import { checkPageSize, checkStreamId, checkStreamPrefix, checkText } from './validate.js';

/** A stream as the schema sees it: a name in a store; its version is loaded when asked for. */
export interface StreamRef {
  store: EventStore;
  id: string;
}

export function streamRef(ctx: GatewayContext, storeArg: StoreArg, streamId: string, field: string): StreamRef {
  return { store: ctx.door.open(storeArg, 'read'), id: checkStreamId(field, streamId) };
}

export function streamVersion(ctx: GatewayContext, stream: StreamRef): Promise<number> {
  return ctx.loaders().streamVersion(stream.store).load(stream.id);
}

/** Whether the stream is a tombstone (hard-deleted). */
export function streamDeleted(ctx: GatewayContext, stream: StreamRef): Promise<boolean> {
  return ctx.loaders().tombstone(stream.store).load(stream.id);
}

export async function listStreams(
  ctx: GatewayContext,
  args: { store?: StoreArg; prefix?: string | null; first?: number | null; after?: string | null },
): Promise<Connection<StreamRef>> {
  const store = ctx.door.open(args.store, 'read');
  const limit = checkPageSize('first', args.first, ctx.limits);
  const after = args.after ? checkText('after', decodeCursor('after', 'stream', args.after)) : undefined;
  const prefix = args.prefix === null || args.prefix === undefined ? undefined : checkStreamPrefix('prefix', args.prefix);
  const page = await store.log.listStreams({ prefix, after, limit });
  // The page already knows each version: prime the loader so Stream.version costs no query.
  const versions = ctx.loaders().streamVersion(store);
  page.items.forEach((summary: StreamSummary) => versions.prime(summary.id, summary.version));
  return toConnection(
    page.items.map((summary) => ({ store, id: summary.id })),
    page.hasMore,
    (stream) => encodeCursor('stream', stream.id),
  );
}
