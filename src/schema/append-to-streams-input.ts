import { AppendCondition, NewEvent, StreamState } from './append-input.js';
import { builder } from './builder.js';

const StreamAppend = builder.inputType('StreamAppend', {
  fields: (t) => ({
    streamId: t.string({ required: true }),
    expectedVersion: t.int({ description: '-1: the stream must not exist; N: its version must be N.' }),
    expectedState: t.field({ type: StreamState }),
    events: t.field({ type: [NewEvent], required: true }),
  }),
});

export const AppendToStreamsInput = builder.inputType('AppendToStreamsInput', {
  fields: (t) => ({
    store: t.id(),
    streams: t.field({ type: [StreamAppend], required: true, description: 'Each stream once, at most 100; written in this order, at contiguous positions.' }),
    condition: t.field({ type: AppendCondition }),
  }),
});

export type AppendToStreamsInputShape = typeof AppendToStreamsInput.$inferInput;
