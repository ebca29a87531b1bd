import { StoredEvent } from '../store/event-row.js';
import type { RecordedEvent } from '../store/types.js';
import { allEvents, eventById } from '../resolvers/read-events.js';
import { builder } from './builder.js';
import { allEventsArgs } from './event-inputs.js';
import { isoWithMicroseconds } from './scalars.js';

export const EventType = builder.objectRef<RecordedEvent>('Event').implement({
  description: 'A recorded event.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'UUID, unique in its store.' }),
    store: t.exposeID('storeId', { description: 'The store the event is in: with id, what names it across stores.' }),
    streamId: t.exposeString('streamId'),
    version: t.exposeInt('version', { description: '0-based event number in its stream.' }),
    position: t.expose('position', {
      type: 'Long',
      description: 'Global position in its store: strictly increasing in commit order, with gaps only where events were erased (deletion, retention).',
    }),
    type: t.exposeString('type'),
    data: t.field({ type: 'JSON', nullable: true, resolve: (event) => StoredEvent.payloadOf(event, 'data') }),
    metadata: t.field({ type: 'JSON', nullable: true, resolve: (event) => StoredEvent.payloadOf(event, 'metadata') }),
    contentType: t.exposeString('contentType'),
    created: t.field({ type: 'DateTime', resolve: (event) => isoWithMicroseconds(event.createdEpoch) }),
    createdEpoch: t.expose('createdEpoch', { type: 'Long', description: 'Microseconds since the Unix epoch.' }),
  }),
});

export const EventConnection = builder.connectionObject({ type: EventType, name: 'EventConnection' });

builder.queryFields((t) => ({
  events: t.field({
    type: EventConnection,
    description: 'The $all log: every event of the store in position order.',
    args: allEventsArgs,
    resolve: (_root, args, ctx) => allEvents(ctx, args),
  }),
  event: t.field({
    type: EventType,
    nullable: true,
    args: { store: t.arg.id(), id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => eventById(ctx, args.store, args.id.toString()),
  }),
}));
