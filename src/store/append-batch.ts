import type pg from 'pg';
import type { StoreTables } from './tables.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './event-row.js';
import type { AppendOutcome, AppendRequest, ExpectedVersion, NewEventData, RecordedEvent } from './types.js';

const NO_STREAM = -1;

interface PlannedEvent extends NewEventData {
  streamId: string;
  version: number;
  position: number;
}

/** Where an event id already sits: stored before this batch, or planned earlier in it. */
interface KnownEvent {
  streamId: string;
  version: number;
  recorded?: RecordedEvent;
}

/**
 * Appends many independent requests in one transaction (group commit). Each
 * request is checked against its own expected version, as if it ran alone in
 * arrival order. Positions are assigned under a per-store advisory lock, so
 * they are gapless and follow commit order across every gateway.
 */
export async function appendBatch(
  client: pg.PoolClient,
  tables: StoreTables,
  requests: AppendRequest[],
): Promise<AppendOutcome[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [tables.lockKey]);
    const head = await readHead(client, tables);
    const versions = await readStreamVersions(client, tables, requests);
    const known = await readStoredIds(client, tables, requests);

    const planned: PlannedEvent[] = [];
    const newStreams = new Set<string>();
    let position = head.position;
    const outcomes = requests.map((request) => {
      const current = versions.get(request.streamId) ?? NO_STREAM;
      const retried = matchRetry(request, known);
      if (retried === 'conflict') return duplicateOutcome(request, known);
      if (retried) return retriedOutcome(request, retried, current);
      const wrong = checkExpected(request.streamId, request.expected, current);
      if (wrong) return wrong;

      const events: PlannedEvent[] = request.events.map((event, index) => ({
        ...event,
        streamId: request.streamId,
        version: current + 1 + index,
        position: ++position,
      }));
      for (const event of events) known.set(event.id, { streamId: event.streamId, version: event.version });
      if (current === NO_STREAM) newStreams.add(request.streamId);
      versions.set(request.streamId, current + events.length);
      planned.push(...events);
      return events;
    });

    if (planned.length > 0) await writeEvents(client, tables, planned, versions, newStreams.size);
    await client.query('COMMIT');
    const recorded = new Map(planned.map((event) => [event.id, toRecorded(event, head.nowEpoch)]));
    return outcomes.map((outcome) =>
      Array.isArray(outcome) ? successFromRecorded(outcome[0]!.streamId, outcome.map((e) => recorded.get(e.id)!)) : outcome,
    );
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The head position, and the transaction's timestamp that every event of the batch is created at. */
async function readHead(client: pg.PoolClient, tables: StoreTables): Promise<{ position: number; nowEpoch: number }> {
  const { rows } = await client.query<{ position: string; now_epoch: string }>(
    `SELECT position, (extract(epoch FROM now()) * 1000000)::bigint AS now_epoch FROM ${tables.head}`,
  );
  return { position: Number(rows[0]!.position), nowEpoch: Number(rows[0]!.now_epoch) };
}

async function readStreamVersions(
  client: pg.PoolClient,
  tables: StoreTables,
  requests: AppendRequest[],
): Promise<Map<string, number>> {
  const streamIds = [...new Set(requests.map((request) => request.streamId))];
  const { rows } = await client.query<{ stream_id: string; version: number }>(
    `SELECT stream_id, version FROM ${tables.streams} WHERE stream_id = ANY($1::text[])`,
    [streamIds],
  );
  return new Map(rows.map((row) => [row.stream_id, row.version]));
}

async function readStoredIds(
  client: pg.PoolClient,
  tables: StoreTables,
  requests: AppendRequest[],
): Promise<Map<string, KnownEvent>> {
  const ids = requests.flatMap((request) => request.events.filter((event) => !event.idGenerated).map((event) => event.id));
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ${tables.events} WHERE event_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(
    rows.map((row) => {
      const recorded = toRecordedEvent(row);
      return [recorded.id, { streamId: recorded.streamId, version: recorded.version, recorded }];
    }),
  );
}

/**
 * A request is a retry when every one of its ids already sits in its stream,
 * in order, at consecutive versions. Some ids known but not like that is a
 * conflict; none known is a fresh append.
 */
function matchRetry(request: AppendRequest, known: Map<string, KnownEvent>): KnownEvent[] | 'conflict' | null {
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
    existingVersion: hit?.version ?? -1,
  };
}

/** A retried request succeeds again if its expected version held for the original write. */
function retriedOutcome(request: AppendRequest, found: KnownEvent[], current: number): AppendOutcome | PlannedEvent[] {
  const versionBefore = found[0]!.version - 1;
  const wrong = checkExpected(request.streamId, request.expected, versionBefore);
  if (wrong) return { ...wrong, actualVersion: current };
  const recorded = found.map((hit) => hit.recorded);
  if (recorded.every((event): event is RecordedEvent => event !== undefined)) {
    return successFromRecorded(request.streamId, recorded);
  }
  // Planned earlier in this same batch: resolved once the batch is inserted.
  return request.events.map((event, index) => ({
    ...event,
    streamId: request.streamId,
    version: found[index]!.version,
    position: 0,
  }));
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

/** Inserts the events, moves the streams and the head, and notifies listeners: one round trip. */
async function writeEvents(
  client: pg.PoolClient,
  tables: StoreTables,
  planned: PlannedEvent[],
  versions: Map<string, number>,
  newStreamCount: number,
): Promise<void> {
  const touched = [...new Set(planned.map((event) => event.streamId))];
  const head = planned[planned.length - 1]!.position;
  await client.query(
    `WITH inserted AS (
       INSERT INTO ${tables.events} (position, event_id, stream_id, version, type, data, metadata, content_type)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[])
     ), streams_moved AS (
       INSERT INTO ${tables.streams} (stream_id, version)
       SELECT * FROM unnest($9::text[], $10::int[])
       ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, updated = now()
     ), head_moved AS (
       UPDATE ${tables.head} SET position = $11, stream_count = stream_count + $12 RETURNING position
     )
     SELECT pg_notify($13, position::text) FROM head_moved`,
    [
      planned.map((event) => event.position),
      planned.map((event) => event.id),
      planned.map((event) => event.streamId),
      planned.map((event) => event.version),
      planned.map((event) => event.type),
      planned.map((event) => event.dataJson),
      planned.map((event) => event.metadataJson),
      planned.map((event) => event.contentType),
      touched,
      touched.map((streamId) => versions.get(streamId)!),
      head,
      newStreamCount,
      tables.channel,
    ],
  );
}

function toRecorded(event: PlannedEvent, createdEpoch: number): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    version: event.version,
    position: event.position,
    type: event.type,
    data: event.data ?? null,
    metadata: event.metadata ?? null,
    contentType: event.contentType,
    createdEpoch,
  };
}

function successFromRecorded(streamId: string, events: RecordedEvent[]): AppendOutcome {
  const last = events[events.length - 1]!;
  return { ok: true, streamId, version: last.version, position: last.position, events };
}
