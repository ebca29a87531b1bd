import { streamEvents } from '../resolvers/read-events.js';
import { listStreams, streamDeleted, streamRef, streamVersion, type StreamRef } from '../resolvers/streams.js';
import { builder } from './builder.js';
import { EventConnection } from './event.js';
import { streamEventsArgs } from './event-inputs.js';

export const StreamType = builder.objectRef<StreamRef>('Stream').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    store: t.id({ description: 'The store the stream is in: a stream id is unique only within its store.', resolve: (stream) => stream.store.id }),
    version: t.int({
      description: 'Number of events minus 1: -1 for an empty or missing stream.',
      resolve: (stream, _args, ctx) => streamVersion(ctx, stream),
    }),
    exists: t.boolean({
      description: 'False for a stream never written, and for a deleted one.',
      resolve: async (stream, _args, ctx) => (await streamVersion(ctx, stream)) >= 0,
    }),
    deleted: t.boolean({
      description: 'True when the stream was hard-deleted: a tombstone that answers every append with StreamDeletedError. A soft-deleted stream reads as never written.',
      resolve: (stream, _args, ctx) => streamDeleted(ctx, stream),
    }),
    events: t.field({
      type: EventConnection,
      args: streamEventsArgs,
      resolve: (stream, args, ctx) => streamEvents(ctx, stream.store, stream.id, args),
    }),
  }),
});

export const StreamConnection = builder.connectionObject({ type: StreamType, name: 'StreamConnection' });

builder.queryFields((t) => ({
  stream: t.field({
    type: StreamType,
    args: { store: t.arg.id(), id: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => streamRef(ctx, args.store, args.id, 'id'),
  }),
  streamVersion: t.int({
    args: { store: t.arg.id(), streamId: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => streamVersion(ctx, streamRef(ctx, args.store, args.streamId, 'streamId')),
  }),
  streams: t.field({
    type: StreamConnection,
    description: 'Streams in id order, optionally those whose id starts with a prefix.',
    args: { store: t.arg.id(), prefix: t.arg.string(), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, ctx) => listStreams(ctx, args),
  }),
}));
