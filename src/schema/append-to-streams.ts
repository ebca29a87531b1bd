import { appendToStreams } from '../resolvers/append-to-streams.js';
import type { MultiStreamAppendOutcome } from '../store/types.js';
import { AppendEventsSuccess, WrongExpectedVersionError } from './append.js';
import { AppendConditionFailedError, isConditionFailed, isStreamDeleted, StreamDeletedError } from './append-errors.js';
import { AppendToStreamsInput } from './append-to-streams-input.js';
import { builder } from './builder.js';

type Success = Extract<MultiStreamAppendOutcome, { ok: true }>;
type Answer = Exclude<MultiStreamAppendOutcome, { reason: 'duplicate_event_id' }>;

const AppendToStreamsSuccess = builder.objectRef<Success>('AppendToStreamsSuccess').implement({
  fields: (t) => ({
    streams: t.field({ type: [AppendEventsSuccess], description: 'One per stream, in input order.', resolve: (success) => success.streams }),
    position: t.expose('position', { type: 'Long', description: 'Position of the last event written.' }),
  }),
});

const AppendToStreamsResult = builder.unionType('AppendToStreamsResult', {
  types: [AppendToStreamsSuccess, WrongExpectedVersionError, StreamDeletedError, AppendConditionFailedError],
  resolveType: (outcome) => {
    if (outcome.ok) return AppendToStreamsSuccess;
    if (isStreamDeleted(outcome)) return StreamDeletedError;
    if (isConditionFailed(outcome)) return AppendConditionFailedError;
    return WrongExpectedVersionError;
  },
});

builder.mutationFields((t) => ({
  appendToStreams: t.field({
    type: AppendToStreamsResult,
    description: 'Appends to several streams atomically: every expectation (and the condition) holds and all events are written, or nothing is.',
    args: { input: t.arg({ type: AppendToStreamsInput, required: true }) },
    resolve: (_root, { input }, ctx) => appendToStreams(ctx, input) as Promise<Answer>,
  }),
}));
