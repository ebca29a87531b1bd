import { DEFAULT_SUBSCRIPTION_SETTINGS, MAX_IN_FLIGHT_LIMIT } from '../store/persistent/types.js';
import { builder } from './builder.js';

export const SubscriptionTypeEnum = builder.enumType('SubscriptionType', {
  description: 'What a persistent subscription selects.',
  values: {
    BY_STREAM: { value: 'by_stream', description: 'The events of one stream (selector: its id), or of every stream (selector: "$all").' },
    BY_EVENT_TYPE: { value: 'by_event_type', description: 'The events of one type (selector), from every stream.' },
    BY_EVENT_PATTERN: {
      value: 'by_event_pattern',
      description: 'Events matching pattern, a JSON object, as a deep subset of { streamId, type, data, metadata }.',
    },
    BY_EVENT_PAYLOAD: { value: 'by_event_payload', description: 'Events whose data contains pattern, a JSON object, as a deep subset.' },
  } as const,
});

export const NackActionEnum = builder.enumType('NackAction', {
  description: 'What becomes of a delivery its consumer could not handle.',
  values: {
    RETRY: { value: 'retry', description: 'Deliver it again (to any consumer), with retryCount + 1; past maxRetries it is parked.' },
    PARK: { value: 'park', description: 'Set it aside with the parked events, until replayParked.' },
    SKIP: { value: 'skip', description: 'Treat it as done, like an ack.' },
  } as const,
});

export const SaveSubscriptionInput = builder.inputType('SaveSubscriptionInput', {
  fields: (t) => ({
    store: t.id(),
    name: t.string({ required: true, description: '1 to 255 characters.' }),
    type: t.field({ type: SubscriptionTypeEnum, required: true }),
    selector: t.string({ description: 'BY_STREAM: a stream id, or "$all"; BY_EVENT_TYPE: an event type.' }),
    pattern: t.field({ type: 'JSON', description: 'BY_EVENT_PATTERN and BY_EVENT_PAYLOAD: a JSON object.' }),
    startFrom: t.field({
      type: 'Long',
      description: 'Deliver from this position (inclusive); default: only events appended after it is created. Fixed once created.',
    }),
    maxRetries: t.int({
      description: `Redeliveries before an event is parked; default ${DEFAULT_SUBSCRIPTION_SETTINGS.maxRetries}. On an update, absent keeps the value.`,
    }),
    ackTimeoutMs: t.int({
      description: `Time to ack a delivery before it is redelivered, in ms (1 or more); default ${DEFAULT_SUBSCRIPTION_SETTINGS.ackTimeoutMs}. On an update, absent keeps the value.`,
    }),
    maxInFlight: t.int({
      description: `Most unacknowledged deliveries per consumer, 1 to ${MAX_IN_FLIGHT_LIMIT}; default ${DEFAULT_SUBSCRIPTION_SETTINGS.maxInFlight}. On an update, absent keeps the value.`,
    }),
  }),
});

export type SaveSubscriptionInputShape = typeof SaveSubscriptionInput.$inferInput;
