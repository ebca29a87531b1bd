import type { EventStore } from '../store/event-store.js';
import { newEventId } from '../store/event-id.js';
import type { AppendOutcome, ExpectedVersion, NewEventData } from '../store/types.js';
import type { AppendEventsInputShape as AppendEventsInput, NewEventShape as NewEventInput } from '../schema/append-input.js';
import { conditionOf } from './append-condition.js';
import type { GatewayContext } from './context.js';
import { badUserInput } from './errors.js';
import { checkJson, checkName, checkStreamId, checkUuid } from './validate.js';

const DEFAULT_CONTENT_TYPE = 'application/json';

/** An expectation given as expectedVersion or expectedState (of an append or a deletion); `field` prefixes the names in errors. */
export function expectedOf(field: string, input: { expectedVersion?: number | null; expectedState?: string | null }): ExpectedVersion {
  const { expectedVersion, expectedState } = input;
  const hasVersion = expectedVersion !== null && expectedVersion !== undefined;
  const hasState = expectedState !== null && expectedState !== undefined;
  if (hasVersion && hasState) {
    throw badUserInput(`${field}.expectedVersion`, 'give either expectedVersion or expectedState, not both');
  }
  if (hasVersion) {
    if (expectedVersion === -1) return { kind: 'no_stream' };
    if (expectedVersion < -1) throw badUserInput(`${field}.expectedVersion`, `must be -1 (no stream) or a version of 0 or more, got ${expectedVersion}`);
    return { kind: 'exact', version: expectedVersion };
  }
  switch (expectedState) {
    case 'NO_STREAM':
      return { kind: 'no_stream' };
    case 'STREAM_EXISTS':
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

function newEventOf(ctx: GatewayContext, eventsField: string, event: NewEventInput, index: number): NewEventData {
  const field = `${eventsField}[${index}]`;
  const given = event.id !== null && event.id !== undefined;
  return {
    id: given ? checkUuid(`${field}.id`, String(event.id)) : newEventId(),
    idGenerated: !given,
    type: checkName(`${field}.type`, 'an event type', event.type),
    data: event.data ?? null,
    metadata: event.metadata ?? null,
    dataJson: checkJson(`${field}.data`, event.data, ctx.limits),
    metadataJson: checkJson(`${field}.metadata`, event.metadata, ctx.limits),
    contentType: checkName(`${field}.contentType`, 'a content type', event.contentType ?? DEFAULT_CONTENT_TYPE),
  };
}

/** One stream's events, checked: at least one, at most the per-append limit, each valid. */
export function newEventsOf(ctx: GatewayContext, field: string, events: readonly NewEventInput[]): NewEventData[] {
  const { maxEventsPerAppend } = ctx.limits;
  if (events.length === 0) throw badUserInput(field, 'an append needs at least one event');
  if (events.length > maxEventsPerAppend) {
    throw badUserInput(field, `an append takes at most ${maxEventsPerAppend} events, got ${events.length}`);
  }
  return events.map((event, index) => newEventOf(ctx, field, event, index));
}

export function jsonBytes(events: readonly NewEventData[]): number {
  let bytes = 0;
  for (const event of events) bytes += Buffer.byteLength(event.dataJson) + Buffer.byteLength(event.metadataJson);
  return bytes;
}

type Duplicate = Extract<AppendOutcome, { reason: 'duplicate_event_id' }>;

/** A reused event id is a bad input, named by its field; `eventsField` is where the append's events are. */
export function duplicateError(store: EventStore, outcome: Duplicate, eventsField: string): Error {
  const field = `${eventsField}[${outcome.index}].id`;
  if (outcome.existingVersion < 0) return badUserInput(field, `event id ${outcome.eventId} appears twice in this append`);
  // Where the id is stored is told only to a caller who may see that stream.
  const where = store.scope.includes(outcome.existingStreamId)
    ? `as version ${outcome.existingVersion} of stream "${outcome.existingStreamId}"`
    : 'in another stream';
  return badUserInput(field, `event id ${outcome.eventId} is already stored ${where} (a retry must resend the same events, in the same order, to the same stream)`);
}

/** Validates the whole request before anything is written, then appends through the store's group commit. */
export async function appendEvents(ctx: GatewayContext, input: AppendEventsInput): Promise<AppendOutcome> {
  const store = ctx.door.open(input.store, 'write');
  const streamId = checkStreamId('input.streamId', input.streamId);
  const expected = expectedOf('input', input);
  const events = newEventsOf(ctx, 'input.events', input.events);
  const condition = conditionOf('input.condition', input.condition, ctx.limits);
  ctx.requestBudget().chargeAppend(events.length, jsonBytes(events));
  const outcome = await store.log.append(condition ? { streamId, expected, events, condition } : { streamId, expected, events });
  if (!outcome.ok && outcome.reason === 'duplicate_event_id') throw duplicateError(store, outcome, 'input.events');
  return outcome;
}
