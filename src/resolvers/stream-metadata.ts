import type { StreamMetadata } from '../store/metadata/types.js';
import type { GatewayContext } from './context.js';
import { badUserInput, deletedForGood } from './errors.js';
import type { StoreArg } from './store-door.js';
import type { StreamRef } from './streams.js';
import { checkJsonValue, checkJsonSize, checkStreamId } from './validate.js';

/** Largest `custom` metadata of a stream, in bytes of JSON: metadata is read with every `Stream.metadata`, so it stays small. */
export const MAX_CUSTOM_METADATA_BYTES = 64 * 1024;

export interface StreamMetadataInputArgs {
  store?: StoreArg;
  streamId: string;
  maxCount?: number | null;
  maxAgeSeconds?: number | null;
  truncateBefore?: number | null;
  custom?: unknown;
}

function atLeast(field: string, value: number | null | undefined, min: number, what: string): number | null {
  if (value === null || value === undefined) return null;
  if (value < min) throw badUserInput(field, `${what}, got ${value}`);
  return value;
}

/**
 * Replaces a stream's metadata as a whole, as KurrentDB does: a field left
 * out is cleared. Allowed before the stream exists; its limits then apply
 * from its first event. Needs the admin role and the stream in the caller's scope.
 */
export async function setStreamMetadata(ctx: GatewayContext, input: StreamMetadataInputArgs): Promise<StreamMetadata> {
  const store = ctx.door.open(input.store, 'admin');
  const streamId = checkStreamId('input.streamId', input.streamId);
  const maxCount = atLeast('input.maxCount', input.maxCount, 1, 'must be 1 or more (the events kept)');
  const maxAgeSeconds = atLeast('input.maxAgeSeconds', input.maxAgeSeconds, 1, 'must be 1 or more (seconds)');
  const truncateBefore = atLeast('input.truncateBefore', input.truncateBefore, 0, 'must be 0 or more (a version)');
  let customJson: string | null = null;
  if (input.custom !== null && input.custom !== undefined) {
    checkJsonValue('input.custom', input.custom, ctx.limits.maxJsonDepth);
    customJson = checkJsonSize('input.custom', input.custom, MAX_CUSTOM_METADATA_BYTES);
  }
  const metadata = await store.metadata.set({ streamId, maxCount, maxAgeSeconds, truncateBefore, customJson });
  if (!metadata) throw deletedForGood('input.streamId', streamId, 'metadata');
  return metadata;
}

/** A stream's metadata, through the request's loader; null when none was set. */
export function streamMetadata(ctx: GatewayContext, stream: StreamRef): Promise<StreamMetadata | null> {
  return ctx.loaders().streamMetadata(stream.store).load(stream.id);
}
