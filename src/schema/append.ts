import { appendEvents } from '../resolvers/append-events.js';
import type { AppendOutcome } from '../store/types.js';
import { AppendEventsInput } from './append-input.js';
import { builder } from './builder.js';
import { EventType } from './event.js';

type Success = Extract<AppendOutcome, { ok: true }>;
type WrongVersion = Extract<AppendOutcome, { reason: 'wrong_expected_version' }>;

const AppendEventsSuccess = builder.objectRef<Success>('AppendEventsSuccess').implement({
  fields: (t) => ({
    streamId: t.exposeString('streamId'),
    version: t.exposeInt('version', { description: "The stream's version after the append." }),
    position: t.expose('position', { type: 'Long', description: 'Position of the last event written.' }),
    events: t.field({ type: [EventType], resolve: (success) => success.events }),
  }),
});

const WrongExpectedVersionError = builder.objectRef<WrongVersion>('WrongExpectedVersionError').implement({
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
  types: [AppendEventsSuccess, WrongExpectedVersionError],
  resolveType: (outcome) => (outcome.ok ? AppendEventsSuccess : WrongExpectedVersionError),
});

builder.mutationFields((t) => ({
  appendEvents: t.field({
    type: AppendEventsResult,
    args: { input: t.arg({ type: AppendEventsInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      appendEvents(ctx, input) as Promise<Success | WrongVersion>,
  }),
}));
