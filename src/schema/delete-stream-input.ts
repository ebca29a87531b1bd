import { StreamState } from './append-input.js';
import { builder } from './builder.js';

export const DeleteStreamInput = builder.inputType('DeleteStreamInput', {
  fields: (t) => ({
    store: t.id(),
    streamId: t.string({ required: true }),
    expectedVersion: t.int({ description: '-1: the stream must not exist; N: its version must be N.' }),
    expectedState: t.field({ type: StreamState }),
    hard: t.boolean({ defaultValue: false, description: 'A tombstone: every later append answers StreamDeletedError. Soft (false): the stream may be written again, numbering on.' }),
  }),
});

export type DeleteStreamInputShape = typeof DeleteStreamInput.$inferInput;
