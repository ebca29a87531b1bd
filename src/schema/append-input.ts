import { builder } from './builder.js';

export const StreamState = builder.enumType('StreamState', {
  description: 'What the stream must be before the append; ANY when neither this nor expectedVersion is given.',
  values: ['ANY', 'NO_STREAM', 'STREAM_EXISTS'] as const,
});

const NewEvent = builder.inputType('NewEvent', {
  fields: (t) => ({
    id: t.id({ description: 'UUID; give one to make a retried append safe. Made by the gateway when absent.' }),
    type: t.string({ required: true }),
    data: t.field({ type: 'JSON' }),
    metadata: t.field({ type: 'JSON' }),
    contentType: t.string({ description: 'Default application/json.' }),
  }),
});

export const AppendEventsInput = builder.inputType('AppendEventsInput', {
  fields: (t) => ({
    store: t.id(),
    streamId: t.string({ required: true }),
    expectedVersion: t.int({ description: '-1: the stream must not exist; N: its version must be N.' }),
    expectedState: t.field({ type: StreamState }),
    events: t.field({ type: [NewEvent], required: true }),
  }),
});

export type AppendEventsInputShape = typeof AppendEventsInput.$inferInput;
export type NewEventShape = typeof NewEvent.$inferInput;
