import type pg from 'pg';
import type { StoreTables } from './tables.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './event-row.js';
import { planAppends, success, type AppendPlan, type AppendState, type PlannedEvent } from './append-plan.js';
import type { AppendOutcome, AppendRequest, RecordedEvent } from './types.js';

/** Another gateway changing the same streams between read and write makes a batch replan; this bounds that. */
const MAX_ATTEMPTS = 20;

/**
 * Appends many independent requests in one transaction (group commit): read
 * the state the batch depends on, plan it in memory, then write it with one
 * statement that takes the store's advisory lock, verifies the state still
 * holds and assigns positions under the lock (gapless, in commit order
 * across every gateway). Two round trips per batch, whatever its size.
 */
export async function appendBatch(db: pg.Pool, tables: StoreTables, requests: AppendRequest[]): Promise<AppendOutcome[]> {
  for (let attempt = 1; ; attempt++) {
    const plan = planAppends(requests, await readAppendState(db, tables, requests));
    if (plan.events.length === 0) return plan.results.map((result) => (result.kind === 'done' ? result.outcome : unreachable()));
    const written = await writePlan(db, tables, plan);
    if (written) return outcomesOf(plan, written);
    if (attempt === MAX_ATTEMPTS) throw new Error(`append batch kept conflicting with concurrent writers after ${attempt} attempts`);
  }
}

function unreachable(): never {
  throw new Error('a batch with nothing to write planned a write');
}

async function readAppendState(db: pg.Pool, tables: StoreTables, requests: AppendRequest[]): Promise<AppendState> {
  const streamIds = [...new Set(requests.map((request) => request.streamId))];
  const clientIds = requests.flatMap((request) => request.events.filter((e) => !e.idGenerated).map((e) => e.id));
  const [versions, stored] = await Promise.all([
    db.query<{ stream_id: string; version: number }>(
      `SELECT stream_id, version FROM ${tables.streams} WHERE stream_id = ANY($1::text[])`,
      [streamIds],
    ),
    clientIds.length === 0
      ? Promise.resolve({ rows: [] as EventRow[] })
      : db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ${tables.events} WHERE event_id = ANY($1::uuid[])`, [clientIds]),
  ]);
  return {
    versions: new Map(versions.rows.map((row) => [row.stream_id, row.version])),
    stored: new Map(stored.rows.map((row) => [row.event_id, toRecordedEvent(row)])),
  };
}

interface Written {
  firstPosition: number;
  createdEpoch: number;
}

/** Null when the state the plan assumed changed before the lock was taken. */
async function writePlan(db: pg.Pool, tables: StoreTables, plan: AppendPlan): Promise<Written | null> {
  const { events } = plan;
  const streams = [...plan.assumedVersions.keys()].filter((id) => events.some((event) => event.streamId === id));
  const { rows } = await db.query<{ first_position: string | null; created_epoch: string | null }>(
    `SELECT first_position, created_epoch FROM ${tables.appendFunction}(
       $1::text[], $2::int[], $3::uuid[],
       $4::uuid[], $5::text[], $6::int[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[])`,
    [
      streams,
      streams.map((id) => plan.assumedVersions.get(id)!),
      plan.freshIds,
      events.map((event) => event.id),
      events.map((event) => event.streamId),
      events.map((event) => event.version),
      events.map((event) => event.type),
      events.map((event) => event.dataJson),
      events.map((event) => event.metadataJson),
      events.map((event) => event.contentType),
    ],
  );
  const row = rows[0];
  if (!row || row.first_position === null) return null;
  return { firstPosition: Number(row.first_position), createdEpoch: Number(row.created_epoch) };
}

function outcomesOf(plan: AppendPlan, written: Written): AppendOutcome[] {
  const recorded = (event: PlannedEvent): RecordedEvent => ({
    id: event.id,
    streamId: event.streamId,
    version: event.version,
    position: written.firstPosition + event.ordinal,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    contentType: event.contentType,
    createdEpoch: written.createdEpoch,
  });
  return plan.results.map((result) =>
    result.kind === 'done' ? result.outcome : success(result.events[0]!.streamId, result.events.map(recorded)),
  );
}
