import type { AppendOutcome, AppendRequest, ExpectedVersion, NewEventData, RecordedEvent } from '../types.js';

export const NO_STREAM = -1;

/** What the store held when the batch was planned. */
export interface AppendState {
  /** Current version of each stream the batch touches; absent: no stream. */
  versions: Map<string, number>;
  /** The batch's client-given event ids that are already stored. */
  stored: Map<string, RecordedEvent>;
}

export interface PlannedEvent extends NewEventData {
  streamId: string;
  version: number;
  /** 0-based place in the batch; the position is the head at write time plus this plus one. */
  ordinal: number;
}

type Planned = { kind: 'write'; events: PlannedEvent[] } | { kind: 'done'; outcome: AppendOutcome };

export interface AppendPlan {
  /** One per request, in order. */
  results: Planned[];
  events: PlannedEvent[];
  /** The version each touched stream must still have when the batch is written. */
  assumedVersions: Map<string, number>;
  /** The version each stream the batch writes to will have once it is written. */
  versionsAfter: Map<string, number>;
  /** Client-given ids that must still be absent when the batch is written. */
  freshIds: string[];
}

/** Where an event id sits: stored before this batch, or planned earlier in it. */
interface KnownEvent {
  streamId: string;
  version: number;
}

/**
 * Plans a batch of independent appends as if each ran alone, in arrival
 * order: checks its expected version against the stream as the earlier
 * requests of the batch leave it, and recognises retried requests by their
 * event ids. Pure: the write later verifies that the state it assumed held.
 */
export function planAppends(requests: AppendRequest[], state: AppendState): AppendPlan {
  const versions = new Map(state.versions);
  const known = new Map<string, KnownEvent>(state.stored);
  const assumedVersions = new Map<string, number>();
  const versionsAfter = new Map<string, number>();
  const events: PlannedEvent[] = [];
  const freshIds: string[] = [];

  const results = requests.map((request): Planned => {
    const current = versions.get(request.streamId) ?? NO_STREAM;
    if (!assumedVersions.has(request.streamId)) assumedVersions.set(request.streamId, current);
    const retried = matchRetry(request, known);
    if (retried === 'conflict') return { kind: 'done', outcome: duplicateOutcome(request, known) };
    if (retried) return retriedResult(request, retried, current, state.stored, events);
    const wrong = checkExpected(request.streamId, request.expected, current);
    if (wrong) return { kind: 'done', outcome: wrong };

    const planned = request.events.map(
      (event, index): PlannedEvent => ({
        id: event.id,
        idGenerated: event.idGenerated,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
        dataJson: event.dataJson,
        metadataJson: event.metadataJson,
        contentType: event.contentType,
        streamId: request.streamId,
        version: current + 1 + index,
        ordinal: events.length + index,
      }),
    );
    for (const event of planned) {
      if (event.idGenerated) continue;
      known.set(event.id, event);
      freshIds.push(event.id);
    }
    versions.set(request.streamId, current + planned.length);
    versionsAfter.set(request.streamId, current + planned.length);
    events.push(...planned);
    return { kind: 'write', events: planned };
  });
  return { results, events, assumedVersions, versionsAfter, freshIds };
}

/**
 * A request is a retry when every one of its ids already sits in its stream,
 * in order, at consecutive versions. Some ids known but not like that is a
 * conflict; none known is a fresh append.
 */
function matchRetry(request: AppendRequest, known: Map<string, KnownEvent>): KnownEvent[] | 'conflict' | null {
  // Ids the gateway made are new and unique: only client-given ones can repeat.
  if (request.events.every((event) => event.idGenerated)) return null;
  const seenInRequest = new Set<string>();
  const found: KnownEvent[] = [];
  for (const event of request.events) {
    if (seenInRequest.has(event.id)) return 'conflict';
    seenInRequest.add(event.id);
    const hit = known.get(event.id);
    if (hit) found.push(hit);
  }
  if (found.length === 0) return null;
  if (found.length !== request.events.length) return 'conflict';
  const first = found[0]!.version;
  const inPlace = found.every((hit, index) => hit.streamId === request.streamId && hit.version === first + index);
  return inPlace ? found : 'conflict';
}

function duplicateOutcome(request: AppendRequest, known: Map<string, KnownEvent>): AppendOutcome {
  const seen = new Set<string>();
  const index = request.events.findIndex((event) => {
    const duplicate = known.has(event.id) || seen.has(event.id);
    seen.add(event.id);
    return duplicate;
  });
  const event = request.events[index]!;
  const hit = known.get(event.id);
  return {
    ok: false,
    reason: 'duplicate_event_id',
    index,
    eventId: event.id,
    existingStreamId: hit?.streamId ?? request.streamId,
    existingVersion: hit?.version ?? NO_STREAM,
  };
}

/** A retried request succeeds again if its expected version held for the original write. */
function retriedResult(
  request: AppendRequest,
  found: KnownEvent[],
  current: number,
  stored: Map<string, RecordedEvent>,
  plannedSoFar: PlannedEvent[],
): Planned {
  const wrong = checkExpected(request.streamId, request.expected, found[0]!.version - 1);
  if (wrong) return { kind: 'done', outcome: { ...wrong, actualVersion: current } };
  const recorded = request.events.map((event) => stored.get(event.id));
  if (recorded.every((event): event is RecordedEvent => event !== undefined)) {
    return { kind: 'done', outcome: success(request.streamId, recorded) };
  }
  // The original is planned earlier in this same batch: answer with its events once written.
  const ids = new Set(request.events.map((event) => event.id));
  return { kind: 'write', events: plannedSoFar.filter((event) => ids.has(event.id)) };
}

type WrongExpectedVersion = Extract<AppendOutcome, { reason: 'wrong_expected_version' }>;

function checkExpected(streamId: string, expected: ExpectedVersion, current: number): WrongExpectedVersion | null {
  const fail = (label: string): WrongExpectedVersion => ({
    ok: false,
    reason: 'wrong_expected_version',
    streamId,
    expected: label,
    actualVersion: current,
  });
  switch (expected.kind) {
    case 'any':
      return null;
    case 'no_stream':
      return current === NO_STREAM ? null : fail('NO_STREAM');
    case 'stream_exists':
      return current === NO_STREAM ? fail('STREAM_EXISTS') : null;
    case 'exact':
      return current === expected.version ? null : fail(String(expected.version));
  }
}

export function success(streamId: string, events: RecordedEvent[]): AppendOutcome {
  const last = events[events.length - 1]!;
  return { ok: true, streamId, version: last.version, position: last.position, events };
}
