import { appendEvents } from '../resolvers/append-events.js';
import type { AppendOutcome } from '../store/types.js';
import { AppendConditionFailedError, isConditionFailed, isStreamDeleted, StreamDeletedError } from './append-errors.js';
import { AppendEventsInput } from './append-input.js';
import { builder } from './builder.js';
import { EventType } from './event.js';

type Success = Extract<AppendOutcome, { ok: true }>;
type WrongVersion = Extract<AppendOutcome, { reason: 'wrong_expected_version' }>;

export const AppendEventsSuccess = builder.objectRef<Success>('AppendEventsSuccess').implement({
  fields: (t) => ({
    streamId: t.exposeString('streamId'),
    version: t.exposeInt('version', { description: "The stream's version after the append." }),
    position: t.expose('position', { type: 'Long', description: 'Position of the last event written.' }),
    events: t.field({ type: [EventType], resolve: (success) => success.events }),
  }),
});

export const WrongExpectedVersionError = builder.objectRef<WrongVersion>('WrongExpectedVersionError').implement({
  fields: (t) => ({
    message: t.string({
      resolve: (error) =>
        `stream "${error.streamId}" expected ${error.expected} but its version is ${error.actualVersion}`,
    }),
    streamId: t.exposeString('streamId'),
    expected: t.exposeString('expected', { description: 'The expectation that failed: a version, NO_STREAM or STREAM_EXISTS.' }),
    actualVersion: t.exposeInt('actualVersion'),
  }),
});

const AppendEventsResult = builder.unionType('AppendEventsResult', {
  types: [AppendEventsSuccess, WrongExpectedVersionError, StreamDeletedError, AppendConditionFailedError],
  resolveType: (outcome) => {
    if (outcome.ok) return AppendEventsSuccess;
    if (isStreamDeleted(outcome)) return StreamDeletedError;
    if (isConditionFailed(outcome)) return AppendConditionFailedError;
    return WrongExpectedVersionError;
  },
});

builder.mutationFields((t) => ({
  appendEvents: t.field({
    type: AppendEventsResult,
    args: { input: t.arg({ type: AppendEventsInput, required: true }) },
    resolve: (_root, { input }, ctx) => appendEvents(ctx, input) as Promise<Exclude<AppendOutcome, { reason: 'duplicate_event_id' }>>,
  }),
}));
