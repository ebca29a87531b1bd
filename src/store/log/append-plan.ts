import type { StreamScope } from '../stream-scope.js';
import type {
  AppendCondition,
  AppendOutcome,
  AppendSuccess,
  ExpectedVersion,
  MultiStreamAppendOutcome,
  NewEventData,
  RecordedEvent,
  StreamAppend,
} from '../types.js';

export const NO_STREAM = -1;

/** A stream's row as the plan sees it. A deleted stream keeps its last version, so that numbering goes on after it. */
export interface StreamState {
  version: number;
  deleted: 'soft' | 'hard' | null;
}

/** What the store held when the batch was planned. */
export interface AppendState {
  /** State of each stream the batch touches; absent: no row (never written). */
  streams: Map<string, StreamState>;
  /** The batch's client-given event ids that are already stored. */
  stored: Map<string, RecordedEvent>;
}

/** An append condition as the caller's view of the store sees it. */
export interface ScopedCondition extends AppendCondition {
  /** The caller's streams: a condition sees only events of these. */
  scope: StreamScope;
}

/**
 * One request of a group-commit batch: one stream's append, or a multi-stream
 * append whose parts all succeed or all fail; either may carry a condition.
 */
export interface BatchMember {
  parts: StreamAppend[];
  condition?: ScopedCondition;
  /** Answered as appendToStreams (every stream's success), not as appendEvents. */
  multi: boolean;
}

export type MemberOutcome = AppendOutcome | MultiStreamAppendOutcome;

export interface PlannedEvent extends NewEventData {
  streamId: string;
  version: number;
  /** 0-based place in the batch; the position is the head at write time plus this plus one. */
  ordinal: number;
}

export type Planned =
  | { kind: 'write'; parts: PlannedEvent[][] }
  | { kind: 'done'; outcome: MemberOutcome }
  /** The condition matched an event planned earlier in this batch; the database may hold an earlier one (`check`). */
  | { kind: 'unmet'; ordinal: number; check: number };

/** A condition the write checks against the database under the store lock. */
export interface ConditionCheck {
  condition: ScopedCondition;
  /** True: the member writes only if nothing matches, so a match makes the write refuse the batch. */
  required: boolean;
  member: number;
}

export interface AppendPlan {
  /** One per member, in order. */
  results: Planned[];
  events: PlannedEvent[];
  /** The state each touched stream must still have when the batch is written. */
  assumed: Map<string, StreamState>;
  /** The version each stream the batch writes to will have once it is written. */
  versionsAfter: Map<string, number>;
  /**
   * Streams whose events may go at whatever version the stream has when the
   * batch is written: every part of the batch that touches them expects
   * nothing of their version, they are live in the plan, and every member of
   * the batch writes, unconditionally. Another writer moving one of them
   * meanwhile moves the batch's events on instead of making the plan stale.
   */
  movable: Set<string>;
  /** Client-given ids that must still be absent when the batch is written. */
  freshIds: string[];
  checks: ConditionCheck[];
  /** Per member: whether it is answered as a multi-stream append. */
  multi: boolean[];
}

/** Where an event id sits: stored before this batch, or planned earlier in it. */
interface KnownEvent {
  streamId: string;
  version: number;
}

/**
 * Plans a batch of independent members as if each ran alone, in arrival
 * order: checks each stream's expectation against the stream as the earlier
 * members of the batch leave it, recognises retried requests by their event
 * ids, and tests conditions against the events earlier members will write.
 * Conditions against what is stored are checked by the write, under the
 * lock; `unmetConditions` are those it found matched (member → position).
 * Pure: the write later verifies that the state it assumed held.
 */
export function planAppends(members: BatchMember[], state: AppendState, unmetConditions: ReadonlyMap<number, number> = new Map()): AppendPlan {
  const streams = new Map(state.streams);
  const known = new Map<string, KnownEvent>(state.stored);
  const assumed = new Map<string, StreamState>();
  const versionsAfter = new Map<string, number>();
  const events: PlannedEvent[] = [];
  const freshIds: string[] = [];
  const checks: ConditionCheck[] = [];

  const results = members.map((member, memberIndex): Planned => {
    for (const part of member.parts) {
      if (!assumed.has(part.streamId)) assumed.set(part.streamId, streams.get(part.streamId) ?? { version: NO_STREAM, deleted: null });
    }
    const retried = member.parts.map((part) => matchRetry(part, known));
    const conflict = retried.findIndex((found) => found === 'conflict');
    if (conflict >= 0) return { kind: 'done', outcome: duplicateOutcome(member, conflict, known) };
    if (retried.every((found) => found !== null)) {
      return retriedResult(member, retried as KnownEvent[][], streams, state.stored, events);
    }
    if (retried.some((found) => found !== null)) {
      return { kind: 'done', outcome: duplicateOutcome(member, retried.findIndex((found) => found !== null), known) };
    }

    for (const part of member.parts) {
      const stream = streams.get(part.streamId);
      if (stream?.deleted === 'hard') return { kind: 'done', outcome: { ok: false, reason: 'stream_deleted', streamId: part.streamId } };
      const wrong = checkExpected(part.streamId, part.expected, effectiveVersion(stream));
      if (wrong) return { kind: 'done', outcome: wrong };
    }
    const { condition } = member;
    if (condition) {
      const unmet = unmetConditions.get(memberIndex);
      if (unmet !== undefined) return { kind: 'done', outcome: { ok: false, reason: 'condition_failed', position: unmet } };
      const match = events.find((event) => conditionMatches(condition, event));
      checks.push({ condition, required: match === undefined, member: memberIndex });
      if (match) return { kind: 'unmet', ordinal: match.ordinal, check: checks.length - 1 };
    }

    const parts = member.parts.map((part) => {
      const next = (streams.get(part.streamId)?.version ?? NO_STREAM) + 1;
      const planned = part.events.map(
        (event, index): PlannedEvent => ({
          id: event.id,
          idGenerated: event.idGenerated,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          dataJson: event.dataJson,
          metadataJson: event.metadataJson,
          contentType: event.contentType,
          streamId: part.streamId,
          version: next + index,
          ordinal: events.length + index,
        }),
      );
      for (const event of planned) {
        if (event.idGenerated) continue;
        known.set(event.id, event);
        freshIds.push(event.id);
      }
      const version = next + planned.length - 1;
      streams.set(part.streamId, { version, deleted: null });
      versionsAfter.set(part.streamId, version);
      events.push(...planned);
      return planned;
    });
    return { kind: 'write', parts };
  });
  return { results, events, assumed, versionsAfter, movable: movableStreams(members, results, checks, assumed), freshIds, checks, multi: members.map((member) => member.multi) };
}

/** See `AppendPlan.movable`: an answer given from the plan (a refusal, a duplicate, a condition) fixes the versions it was read from. */
function movableStreams(members: BatchMember[], results: Planned[], checks: ConditionCheck[], assumed: Map<string, StreamState>): Set<string> {
  const movable = new Set<string>();
  if (checks.length > 0 || results.some((result) => result.kind !== 'write')) return movable;
  const expecting = new Set<string>();
  for (const member of members) for (const part of member.parts) if (part.expected.kind !== 'any') expecting.add(part.streamId);
  for (const [streamId, state] of assumed) if (state.deleted === null && !expecting.has(streamId)) movable.add(streamId);
  return movable;
}

/** The version expectations compare with: a deleted stream does not exist. */
function effectiveVersion(stream: StreamState | undefined): number {
  return !stream || stream.deleted ? NO_STREAM : stream.version;
}

/** The in-memory twin of the store's condition query, for events planned earlier in the batch (all after any committed position). */
function conditionMatches(condition: ScopedCondition, event: PlannedEvent): boolean {
  if (condition.eventTypes && !condition.eventTypes.includes(event.type)) return false;
  if (condition.streamPrefix !== undefined && !event.streamId.startsWith(condition.streamPrefix)) return false;
  if (!condition.scope.includes(event.streamId)) return false;
  if (condition.pattern && !condition.matchesPattern?.(event)) return false;
  return true;
}

/**
 * A stream's part is a retry when every one of its ids already sits in its
 * stream, in order, at consecutive versions. Some ids known but not like
 * that is a conflict; none known is a fresh append.
 */
function matchRetry(part: StreamAppend, known: Map<string, KnownEvent>): KnownEvent[] | 'conflict' | null {
  // Ids the gateway made are new and unique: only client-given ones can repeat.
  if (part.events.every((event) => event.idGenerated)) return null;
  const seenInPart = new Set<string>();
  const found: KnownEvent[] = [];
  for (const event of part.events) {
    if (seenInPart.has(event.id)) return 'conflict';
    seenInPart.add(event.id);
    const hit = known.get(event.id);
    if (hit) found.push(hit);
  }
  if (found.length === 0) return null;
  if (found.length !== part.events.length) return 'conflict';
  const first = found[0]!.version;
  const inPlace = found.every((hit, index) => hit.streamId === part.streamId && hit.version === first + index);
  return inPlace ? found : 'conflict';
}

function duplicateOutcome(member: BatchMember, partIndex: number, known: Map<string, KnownEvent>): AppendOutcome {
  const part = member.parts[partIndex]!;
  const seen = new Set<string>();
  const index = Math.max(
    0,
    part.events.findIndex((event) => {
      const duplicate = known.has(event.id) || seen.has(event.id);
      seen.add(event.id);
      return duplicate;
    }),
  );
  const event = part.events[index]!;
  const hit = known.get(event.id);
  return {
    ok: false,
    reason: 'duplicate_event_id',
    index,
    eventId: event.id,
    existingStreamId: hit?.streamId ?? part.streamId,
    existingVersion: hit?.version ?? NO_STREAM,
    ...(member.multi ? { streamIndex: partIndex } : {}),
  };
}

/** A retried request succeeds again if its expectations held for the original write; its condition held then too. */
function retriedResult(
  member: BatchMember,
  found: KnownEvent[][],
  streams: Map<string, StreamState>,
  stored: Map<string, RecordedEvent>,
  plannedSoFar: PlannedEvent[],
): Planned {
  for (const [index, part] of member.parts.entries()) {
    const wrong = checkExpected(part.streamId, part.expected, found[index]![0]!.version - 1);
    if (wrong) return { kind: 'done', outcome: { ...wrong, actualVersion: effectiveVersion(streams.get(part.streamId)) } };
  }
  const recorded = member.parts.map((part) => part.events.map((event) => stored.get(event.id)));
  if (recorded.every((events): events is RecordedEvent[] => events.every((event) => event !== undefined))) {
    const successes = member.parts.map((part, index) => success(part.streamId, recorded[index]!) as AppendSuccess);
    return { kind: 'done', outcome: member.multi ? { ok: true, streams: successes, position: Math.max(...successes.map((s) => s.position)) } : successes[0]! };
  }
  // The original is planned earlier in this same batch: answer with its events once written.
  return {
    kind: 'write',
    parts: member.parts.map((part) => {
      const ids = new Set(part.events.map((event) => event.id));
      return plannedSoFar.filter((event) => ids.has(event.id));
    }),
  };
}

type WrongExpectedVersion = Extract<AppendOutcome, { reason: 'wrong_expected_version' }>;

export function checkExpected(streamId: string, expected: ExpectedVersion, current: number): WrongExpectedVersion | null {
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
