import type { InputShapeFromFields } from '@pothos/core';
import { builder } from './builder.js';

export const DirectionEnum = builder.enumType('Direction', {
  description: 'Reading order: FORWARD from the oldest, BACKWARD from the newest.',
  values: ['FORWARD', 'BACKWARD'] as const,
});

const EventFilter = builder.inputType('EventFilter', {
  fields: (t) => ({
    eventTypes: t.stringList({ description: 'Only events of these types.' }),
    streamPrefix: t.string({ description: 'Only events of streams whose id starts with this.' }),
  }),
});

const INCLUSIVE_START = 'Inclusive start; absent: the first (or, backward, the last) event.';

/** A page of events, in either direction. */
export const eventPageArgs = builder.args((t) => ({
  direction: t.field({ type: DirectionEnum, defaultValue: 'FORWARD' }),
  first: t.int({ description: 'Page size, 1 to 1000; default 100.' }),
  after: t.string(),
}));

export const streamEventsArgs = builder.args((t) => ({
  ...eventPageArgs,
  fromVersion: t.int({ description: INCLUSIVE_START }),
}));

export const allEventsArgs = builder.args((t) => ({
  ...eventPageArgs,
  store: t.id(),
  fromPosition: t.field({ type: 'Long', description: INCLUSIVE_START }),
  filter: t.field({ type: EventFilter }),
}));

export type EventPageArgs = InputShapeFromFields<typeof eventPageArgs>;
export type StreamEventsArgs = InputShapeFromFields<typeof streamEventsArgs>;
export type AllEventsArgs = InputShapeFromFields<typeof allEventsArgs>;
