import type { RecordedEvent } from '../store/types.js';
import { allEvents, eventById } from '../resolvers/read-events.js';
import { builder } from './builder.js';
import { isoWithMicroseconds } from './scalars.js';

export const DirectionEnum = builder.enumType('Direction', {
  description: 'Reading order: FORWARD from the oldest, BACKWARD from the newest.',
  values: ['FORWARD', 'BACKWARD'] as const,
});

export const EventType = builder.objectRef<RecordedEvent>('Event').implement({
  description: 'A recorded event.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'UUID, unique in its store.' }),
    streamId: t.exposeString('streamId'),
    version: t.exposeInt('version', { description: '0-based event number in its stream.' }),
    position: t.expose('position', {
      type: 'Long',
      description: 'Global position in its store: strictly increasing in commit order, with no gaps.',
    }),
    type: t.exposeString('type'),
    data: t.expose('data', { type: 'JSON', nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON', nullable: true }),
    contentType: t.exposeString('contentType'),
    created: t.field({ type: 'DateTime', resolve: (event) => isoWithMicroseconds(event.createdEpoch) }),
    createdEpoch: t.expose('createdEpoch', { type: 'Long', description: 'Microseconds since the Unix epoch.' }),
  }),
});

export const EventConnection = builder.connectionObject({ type: EventType, name: 'EventConnection' });

export const EventFilter = builder.inputType('EventFilter', {
  fields: (t) => ({
    eventTypes: t.stringList({ description: 'Only events of these types.' }),
    streamPrefix: t.string({ description: 'Only events of streams whose id starts with this.' }),
  }),
});

builder.queryFields((t) => ({
  events: t.field({
    type: EventConnection,
    description: 'The $all log: every event of the store in position order.',
    args: {
      store: t.arg.id(),
      fromPosition: t.arg({ type: 'Long', description: 'Inclusive start; absent: the first (or, backward, the last) event.' }),
      direction: t.arg({ type: DirectionEnum, defaultValue: 'FORWARD' }),
      filter: t.arg({ type: EventFilter }),
      first: t.arg.int({ description: 'Page size, 1 to 1000; default 100.' }),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) => allEvents(ctx, { ...args, store: args.store?.toString() }),
  }),
  event: t.field({
    type: EventType,
    nullable: true,
    args: { store: t.arg.id(), id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => eventById(ctx, args.store?.toString(), args.id.toString()),
  }),
}));
