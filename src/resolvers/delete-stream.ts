import type { DeleteStreamInputShape } from '../schema/delete-stream-input.js';
import type { DeleteStreamOutcome } from '../store/types.js';
import { expectedOf } from './append-events.js';
import type { GatewayContext } from './context.js';
import { checkStreamId } from './validate.js';

/** Erases a stream's events, snapshots and persistent deliveries; a hard delete leaves a tombstone. Needs the `delete` permission. */
export function deleteStream(ctx: GatewayContext, input: DeleteStreamInputShape): Promise<DeleteStreamOutcome> {
  const store = ctx.door.open(input.store, 'delete');
  const streamId = checkStreamId('input.streamId', input.streamId);
  const expected = expectedOf('input', input);
  return store.log.deleteStream({ streamId, expected, hard: input.hard ?? false });
}
