import { builder } from './builder.js';

export const RecordSnapshotInput = builder.inputType('RecordSnapshotInput', {
  fields: (t) => ({
    store: t.id(),
    sourceUuid: t.string({ required: true, description: '1 to 255 characters.' }),
    streamUuid: t.string({ required: true, description: '1 to 255 characters.' }),
    version: t.int({ required: true, description: '0 or more.' }),
    sourceType: t.string(),
    data: t.field({ type: 'JSON', required: true }),
    metadata: t.field({ type: 'JSON' }),
  }),
});

export type RecordSnapshotInputShape = typeof RecordSnapshotInput.$inferInput;
