import type { RecordedSnapshot } from '../store/snapshots/types.js';
import { deleteSnapshot, listSnapshots, recordSnapshot, snapshot } from '../resolvers/snapshots.js';
import { builder } from './builder.js';
import { RecordSnapshotInput } from './snapshot-input.js';
import { isoWithMicroseconds } from './scalars.js';

export const SnapshotType = builder.objectRef<RecordedSnapshot>('Snapshot').implement({
  description: 'The state of a source at one version of a stream, kept so that it need not be rebuilt from the first event.',
  fields: (t) => ({
    store: t.exposeID('storeId', { description: 'The store the snapshot is in: with its key, what names it across stores.' }),
    sourceUuid: t.exposeString('sourceUuid'),
    streamUuid: t.exposeString('streamUuid'),
    version: t.exposeInt('version', { description: 'The version of the stream the snapshot was taken at.' }),
    sourceType: t.exposeString('sourceType', { nullable: true }),
    data: t.expose('data', { type: 'JSON' }),
    metadata: t.expose('metadata', { type: 'JSON', nullable: true }),
    created: t.field({
      type: 'DateTime',
      description: 'When it was last recorded.',
      resolve: (recorded) => isoWithMicroseconds(recorded.createdEpoch),
    }),
    createdEpoch: t.expose('createdEpoch', { type: 'Long', description: 'Microseconds since the Unix epoch.' }),
  }),
});

export const SnapshotConnection = builder.connectionObject({ type: SnapshotType, name: 'SnapshotConnection' });

builder.queryFields((t) => ({
  snapshot: t.field({
    type: SnapshotType,
    nullable: true,
    description: 'One snapshot; without a version, the one with the highest version. Null when there is none.',
    args: {
      store: t.arg.id(),
      sourceUuid: t.arg.string({ required: true }),
      streamUuid: t.arg.string({ required: true }),
      version: t.arg.int(),
    },
    resolve: (_root, args, ctx) => snapshot(ctx, args),
  }),
  snapshots: t.field({
    type: SnapshotConnection,
    description: 'Snapshots ordered by sourceUuid, streamUuid, then version newest first; optionally of one source, one stream, or both.',
    args: {
      store: t.arg.id(),
      sourceUuid: t.arg.string(),
      streamUuid: t.arg.string(),
      first: t.arg.int({ description: 'Page size, 1 to 1000; default 100.' }),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) => listSnapshots(ctx, args),
  }),
}));

builder.mutationFields((t) => ({
  recordSnapshot: t.field({
    type: SnapshotType,
    description: 'Records a snapshot; one already recorded under the same sourceUuid, streamUuid and version is replaced.',
    args: { input: t.arg({ type: RecordSnapshotInput, required: true }) },
    resolve: (_root, { input }, ctx) => recordSnapshot(ctx, input),
  }),
  deleteSnapshot: t.boolean({
    description: 'Deletes one snapshot; false when there was none.',
    args: {
      store: t.arg.id(),
      sourceUuid: t.arg.string({ required: true }),
      streamUuid: t.arg.string({ required: true }),
      version: t.arg.int({ required: true }),
    },
    resolve: (_root, args, ctx) => deleteSnapshot(ctx, args),
  }),
}));
