import { builder } from './builder.js';

export const StreamState = builder.enumType('StreamState', {
  description: 'What the stream must be before the append; ANY when neither this nor expectedVersion is given.',
  values: ['ANY', 'NO_STREAM', 'STREAM_EXISTS'] as const,
});

export const NewEvent = builder.inputType('NewEvent', {
  fields: (t) => ({
    id: t.id({ description: 'UUID; give one to make a retried append safe. Made by the gateway when absent.' }),
    type: t.string({ required: true }),
    data: t.field({ type: 'JSON' }),
    metadata: t.field({ type: 'JSON' }),
    contentType: t.string({ description: 'Default application/json.' }),
  }),
});

const EventQuery = builder.inputType('EventQuery', {
  description: 'Which events an append condition looks for; every part given must hold (none given: any event).',
  fields: (t) => ({
    eventTypes: t.stringList({ description: 'Events of one of these types.' }),
    streamPrefix: t.string({ description: 'Events of streams whose id starts with this.' }),
    pattern: t.field({ type: 'JSON', description: 'A deep-subset pattern over { streamId, type, data, metadata }, as byEventPattern takes it.' }),
  }),
});

export const AppendCondition = builder.inputType('AppendCondition', {
  description: 'The append happens only if no event matching failIfEventsMatch is stored at a position after `after`, checked atomically with the write.',
  fields: (t) => ({
    failIfEventsMatch: t.field({ type: EventQuery, required: true }),
    after: t.field({ type: 'Long', description: 'Exclusive; absent or 0: no matching event may exist at all.' }),
  }),
});

export const AppendEventsInput = builder.inputType('AppendEventsInput', {
  fields: (t) => ({
    condition: t.field({ type: AppendCondition }),
    store: t.id(),
    streamId: t.string({ required: true }),
    expectedVersion: t.int({ description: '-1: the stream must not exist; N: its version must be N.' }),
    expectedState: t.field({ type: StreamState }),
    events: t.field({ type: [NewEvent], required: true }),
  }),
});

export type AppendEventsInputShape = typeof AppendEventsInput.$inferInput;
export type NewEventShape = typeof NewEvent.$inferInput;
export type AppendConditionShape = typeof AppendCondition.$inferInput;
