import type { RecordedEvent } from '../store/types.js';
import { byEventPattern, byEventPayload, byEventType, byStream } from '../resolvers/live-subscriptions.js';
import { builder } from './builder.js';
import { EventType } from './event.js';

const FROM_POSITION = 'Replay from this global position (inclusive), then go live.';

builder.subscriptionFields((t) => ({
  byStream: t.field({
    type: EventType,
    description: 'Events of one stream, or of every stream with streamId "$all".',
    args: {
      store: t.arg.id(),
      streamId: t.arg.string({ required: true }),
      fromVersion: t.arg.int({ description: 'Replay from this version of the stream (inclusive), then go live.' }),
      fromPosition: t.arg({ type: 'Long', description: FROM_POSITION }),
    },
    subscribe: (_root, args, ctx) => byStream(ctx, args),
    resolve: (event: RecordedEvent) => event,
  }),
  byEventType: t.field({
    type: EventType,
    description: 'Events of one type, from every stream.',
    args: {
      store: t.arg.id(),
      eventType: t.arg.string({ required: true }),
      fromPosition: t.arg({ type: 'Long', description: FROM_POSITION }),
    },
    subscribe: (_root, args, ctx) => byEventType(ctx, args),
    resolve: (event: RecordedEvent) => event,
  }),
  byEventPattern: t.field({
    type: EventType,
    description: 'Events matching a JSON object as a deep subset of { streamId, type, data, metadata }.',
    args: {
      store: t.arg.id(),
      pattern: t.arg({ type: 'JSON', required: true }),
      fromPosition: t.arg({ type: 'Long', description: FROM_POSITION }),
    },
    subscribe: (_root, args, ctx) => byEventPattern(ctx, args),
    resolve: (event: RecordedEvent) => event,
  }),
  byEventPayload: t.field({
    type: EventType,
    description: "Events whose data contains a JSON object as a deep subset.",
    args: {
      store: t.arg.id(),
      payload: t.arg({ type: 'JSON', required: true }),
      fromPosition: t.arg({ type: 'Long', description: FROM_POSITION }),
    },
    subscribe: (_root, args, ctx) => byEventPayload(ctx, args),
    resolve: (event: RecordedEvent) => event,
  }),
}));
