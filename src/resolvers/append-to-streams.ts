import type { AppendToStreamsInputShape } from '../schema/append-to-streams-input.js';
import type { MultiStreamAppendOutcome, StreamAppend } from '../store/types.js';
import { conditionOf } from './append-condition.js';
import { duplicateError, expectedOf, jsonBytes, newEventsOf } from './append-events.js';
import type { GatewayContext } from './context.js';
import { badUserInput } from './errors.js';
import { checkStreamId } from './validate.js';

/** Streams one appendToStreams may write; its events count against the request's event and byte budget like any append's. */
export const MAX_STREAMS_PER_APPEND = 100;

/** Validates every stream's part before anything is written, then appends them as one member of the group commit. */
export async function appendToStreams(ctx: GatewayContext, input: AppendToStreamsInputShape): Promise<MultiStreamAppendOutcome> {
  const store = ctx.door.open(input.store, 'write');
  if (input.streams.length === 0) throw badUserInput('input.streams', 'give at least one stream');
  if (input.streams.length > MAX_STREAMS_PER_APPEND) {
    throw badUserInput('input.streams', `at most ${MAX_STREAMS_PER_APPEND} streams, got ${input.streams.length}`);
  }
  const seenStreams = new Set<string>();
  const seenIds = new Set<string>();
  let total = 0;
  const streams = input.streams.map((part, index): StreamAppend => {
    const field = `input.streams[${index}]`;
    const streamId = checkStreamId(`${field}.streamId`, part.streamId);
    if (seenStreams.has(streamId)) throw badUserInput(`${field}.streamId`, `stream "${streamId}" appears twice; give each stream once`);
    seenStreams.add(streamId);
    const events = newEventsOf(ctx, `${field}.events`, part.events);
    total += events.length;
    if (total > ctx.limits.maxEventsPerAppend) {
      throw badUserInput('input.streams', `an append takes at most ${ctx.limits.maxEventsPerAppend} events over all its streams`);
    }
    events.forEach((event, eventIndex) => {
      if (event.idGenerated) return;
      if (seenIds.has(event.id)) throw badUserInput(`${field}.events[${eventIndex}].id`, `event id ${event.id} appears twice in this append`);
      seenIds.add(event.id);
    });
    return { streamId, expected: expectedOf(field, part), events };
  });
  const condition = conditionOf('input.condition', input.condition, ctx.limits);
  const all = streams.flatMap((part) => part.events);
  ctx.requestBudget().chargeAppend(all.length, jsonBytes(all));
  const outcome = await store.log.appendToStreams(condition ? { streams, condition } : { streams });
  if (!outcome.ok && outcome.reason === 'duplicate_event_id') {
    throw duplicateError(store, outcome, `input.streams[${outcome.streamIndex ?? 0}].events`);
  }
  return outcome;
}
