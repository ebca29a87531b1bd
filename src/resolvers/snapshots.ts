import type { RecordedSnapshot, SnapshotKey } from '../store/snapshots/types.js';
import type { RecordSnapshotInputShape } from '../schema/snapshot-input.js';
import type { GatewayContext } from './context.js';
import { decodeSnapshotCursor, encodeSnapshotCursor, toConnection, type Connection } from './cursors.js';
import { badUserInput, deletedForGood } from './errors.js';
import type { StoreArg } from './store-door.js';
import { checkJson, checkName, checkNonNegative, checkPageSize } from './validate.js';

interface KeyArgs {
  sourceUuid: string;
  streamUuid: string;
  version: number;
}

/** The uuids are free strings (the contract types them String), 1 to 255 characters, like stream ids. */
function checkSourceUuid(field: string, value: string): string {
  return checkName(field, 'a source uuid', value);
}

function checkStreamUuid(field: string, value: string): string {
  return checkName(field, 'a stream uuid', value);
}

/** Checks an optional argument when it is given. */
function ifGiven<T>(value: T | null | undefined, check: (value: T) => T): T | undefined {
  return value === null || value === undefined ? undefined : check(value);
}

/** `prefix` is where the arguments sit in the request: `input.` for the mutation's input, empty for plain arguments. */
function keyOf(prefix: string, args: KeyArgs): SnapshotKey {
  return {
    sourceUuid: checkSourceUuid(`${prefix}sourceUuid`, args.sourceUuid),
    streamUuid: checkStreamUuid(`${prefix}streamUuid`, args.streamUuid),
    version: checkNonNegative(`${prefix}version`, args.version),
  };
}

/** Records a snapshot, replacing the one under the same key. */
export async function recordSnapshot(ctx: GatewayContext, input: RecordSnapshotInputShape): Promise<RecordedSnapshot> {
  const store = ctx.door.open(input.store, 'write');
  const key = keyOf('input.', input);
  const sourceType = ifGiven(input.sourceType, (type) => checkName('input.sourceType', 'a source type', type)) ?? null;
  // GraphQL itself refuses a missing data (the schema says JSON!); the JSON scalar's type says nothing of it, so the rule stays here too.
  if (input.data === null || input.data === undefined) throw badUserInput('input.data', 'a snapshot needs data');
  const dataJson = checkJson('input.data', input.data, ctx.limits);
  const metadataJson = checkJson('input.metadata', input.metadata, ctx.limits);
  const recorded = await store.snapshots.record({ ...key, sourceType, dataJson, metadataJson });
  if (!recorded) throw deletedForGood('input.streamUuid', key.streamUuid, 'snapshots');
  return recorded;
}

/** One snapshot, through the request's loader; without a version, the highest one. */
export function snapshot(
  ctx: GatewayContext,
  args: { store?: StoreArg; sourceUuid: string; streamUuid: string; version?: number | null },
): Promise<RecordedSnapshot | null> {
  const store = ctx.door.open(args.store, 'read');
  const query = {
    sourceUuid: checkSourceUuid('sourceUuid', args.sourceUuid),
    streamUuid: checkStreamUuid('streamUuid', args.streamUuid),
    version: checkNonNegative('version', args.version) ?? null,
  };
  return ctx.loaders().snapshot(store).load(query);
}

export async function listSnapshots(
  ctx: GatewayContext,
  args: { store?: StoreArg; sourceUuid?: string | null; streamUuid?: string | null; first?: number | null; after?: string | null },
): Promise<Connection<RecordedSnapshot>> {
  const store = ctx.door.open(args.store, 'read');
  const limit = checkPageSize('first', args.first, ctx.limits);
  const after = args.after ? decodeSnapshotCursor('after', args.after) : undefined;
  const sourceUuid = ifGiven(args.sourceUuid, (uuid) => checkSourceUuid('sourceUuid', uuid));
  const streamUuid = ifGiven(args.streamUuid, (uuid) => checkStreamUuid('streamUuid', uuid));
  const page = await store.snapshots.list({ sourceUuid, streamUuid, after, limit });
  return toConnection(page.items, page.hasMore, encodeSnapshotCursor);
}

/** Answers whether there was such a snapshot. */
export function deleteSnapshot(ctx: GatewayContext, args: KeyArgs & { store?: StoreArg }): Promise<boolean> {
  const store = ctx.door.open(args.store, 'admin');
  const key = keyOf('', args);
  return store.snapshots.delete(key);
}
