import type { StreamMetadata } from '../store/metadata/types.js';
import { MAX_CUSTOM_METADATA_BYTES, setStreamMetadata, streamMetadata } from '../resolvers/stream-metadata.js';
import { builder } from './builder.js';
import { StreamType } from './stream.js';

export const StreamMetadataType = builder.objectRef<StreamMetadata>('StreamMetadata').implement({
  description:
    'A stream\'s metadata. Events outside its limits are hidden from every read and subscription at once, and erased by a background pass.',
  fields: (t) => ({
    maxCount: t.exposeInt('maxCount', { nullable: true, description: 'Only the last this many events are kept.' }),
    maxAgeSeconds: t.exposeInt('maxAgeSeconds', { nullable: true, description: 'Only events younger than this many seconds are kept.' }),
    truncateBefore: t.exposeInt('truncateBefore', { nullable: true, description: 'Events with a lower version are not kept.' }),
    custom: t.expose('custom', { type: 'JSON', nullable: true, description: 'Whatever JSON the application keeps with the stream.' }),
  }),
});

export const StreamMetadataInput = builder.inputType('StreamMetadataInput', {
  description: 'The whole metadata of a stream: a field left out is cleared.',
  fields: (t) => ({
    store: t.id(),
    streamId: t.string({ required: true }),
    maxCount: t.int({ description: '1 or more.' }),
    maxAgeSeconds: t.int({ description: '1 or more.' }),
    truncateBefore: t.int({ description: '0 or more.' }),
    custom: t.field({ type: 'JSON', description: `At most ${MAX_CUSTOM_METADATA_BYTES / 1024} KiB of JSON.` }),
  }),
});

builder.objectField(StreamType, 'metadata', (t) =>
  t.field({
    type: StreamMetadataType,
    nullable: true,
    description: 'Null when none was set.',
    resolve: (stream, _args, ctx) => streamMetadata(ctx, stream),
  }),
);

builder.mutationFields((t) => ({
  setStreamMetadata: t.field({
    type: StreamMetadataType,
    description:
      'Replaces a stream\'s metadata as a whole (a field left out is cleared); the stream need not exist yet. Needs the admin role.',
    args: { input: t.arg({ type: StreamMetadataInput, required: true }) },
    resolve: (_root, { input }, ctx) => setStreamMetadata(ctx, input),
  }),
}));
