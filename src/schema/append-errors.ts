import type { AppendRefusal } from '../store/types.js';
import { builder } from './builder.js';

type StreamDeleted = Extract<AppendRefusal, { reason: 'stream_deleted' }>;
type ConditionFailed = Extract<AppendRefusal, { reason: 'condition_failed' }>;

export const StreamDeletedError = builder.objectRef<StreamDeleted>('StreamDeletedError').implement({
  description: 'The stream was hard-deleted: it is a tombstone and takes no more appends or deletions.',
  fields: (t) => ({
    message: t.string({ resolve: (error) => `stream "${error.streamId}" was deleted for good (hard delete)` }),
    streamId: t.exposeString('streamId'),
  }),
});

export const AppendConditionFailedError = builder.objectRef<ConditionFailed>('AppendConditionFailedError').implement({
  description: "An event matching the append's condition is stored after its `after` position: nothing was written.",
  fields: (t) => ({
    message: t.string({ resolve: (error) => `an event matching the append condition is stored at position ${error.position}` }),
    position: t.expose('position', { type: 'Long', description: 'The first matching event after `after`.' }),
  }),
});

export function isStreamDeleted(outcome: { ok: boolean; reason?: string }): outcome is StreamDeleted {
  return outcome.reason === 'stream_deleted';
}

export function isConditionFailed(outcome: { ok: boolean; reason?: string }): outcome is ConditionFailed {
  return outcome.reason === 'condition_failed';
}
