import { deleteStream } from '../resolvers/delete-stream.js';
import type { DeleteStreamOutcome } from '../store/types.js';
import { WrongExpectedVersionError } from './append.js';
import { isStreamDeleted, StreamDeletedError } from './append-errors.js';
import { builder } from './builder.js';
import { DeleteStreamInput } from './delete-stream-input.js';

type Success = Extract<DeleteStreamOutcome, { ok: true }>;

const DeleteStreamSuccess = builder.objectRef<Success>('DeleteStreamSuccess').implement({
  fields: (t) => ({
    streamId: t.exposeString('streamId'),
    erasedEvents: t.exposeInt('erasedEvents', { description: 'How many events were erased from the database.' }),
  }),
});

const DeleteStreamResult = builder.unionType('DeleteStreamResult', {
  types: [DeleteStreamSuccess, WrongExpectedVersionError, StreamDeletedError],
  resolveType: (outcome) => {
    if (outcome.ok) return DeleteStreamSuccess;
    if (isStreamDeleted(outcome)) return StreamDeletedError;
    return WrongExpectedVersionError;
  },
});

builder.mutationFields((t) => ({
  deleteStream: t.field({
    type: DeleteStreamResult,
    description: "Erases a stream's events, its snapshots and their persistent deliveries from the database. Needs the admin role.",
    args: { input: t.arg({ type: DeleteStreamInput, required: true }) },
    resolve: (_root, { input }, ctx) => deleteStream(ctx, input),
  }),
}));
