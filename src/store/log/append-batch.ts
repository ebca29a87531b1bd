import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-row.js';
import { planAppends, type AppendPlan, type AppendState, type PlannedEvent } from './append-plan.js';
import type { StreamVersionCache } from './stream-version-cache.js';
import type { AppendOutcome, AppendRequest, RecordedEvent } from '../types.js';

/** What this gateway committed to a store since it started; read by /metrics. */
export interface AppendCounters {
  events: number;
  batches: number;
  /** Told of each batch committed: its events, and when its commit began (`performance.now()`); for /metrics. */
  committed?: (events: number, began: number) => void;
}

/** Another gateway changing the same streams between read and write makes a batch replan; this bounds that. */
const MAX_ATTEMPTS = 20;

/**
 * Appends many independent requests in one transaction (group commit). The
 * batch is planned in memory, then written by one statement that takes the
 * store's advisory lock, verifies that the state the plan assumed still
 * holds, and assigns positions under the lock (gapless, in commit order
 * across every gateway).
 *
 * The first plan is optimistic: stream versions come from the cache, and
 * client-given ids are assumed new. Most batches then cost one round trip.
 * When that plan fails a request, or the write finds it stale, the batch is
 * planned again from what the database holds.
 */
export async function appendBatch(
  db: pg.Pool,
  tables: StoreTables,
  requests: AppendRequest[],
  cache: StreamVersionCache,
  counters: AppendCounters,
): Promise<AppendOutcome[]> {
  const began = performance.now();
  for (let attempt = 1; ; attempt++) {
    const optimistic = attempt === 1;
    const plan = planAppends(requests, await readAppendState(db, tables, requests, optimistic ? cache : undefined));
    const refused = plan.results.some((result) => result.kind === 'done');
    if (!(optimistic && refused)) {
      if (plan.events.length === 0) return plan.results.map((result) => (result.kind === 'done' ? result.outcome : unreachable()));
      const written = await writePlan(db, tables, plan);
      if (written) {
        for (const [streamId, version] of plan.versionsAfter) cache.remember(streamId, version);
        counters.batches++;
        counters.events += plan.events.length;
        counters.committed?.(plan.events.length, began);
        return outcomesOf(plan, written, tables.storeId);
      }
      cache.forget(plan.assumedVersions.keys());
    }
    if (attempt === MAX_ATTEMPTS) throw new Error(`append batch kept conflicting with concurrent writers after ${attempt} attempts`);
  }
}

function unreachable(): never {
  throw new Error('a batch with nothing to write planned a write');
}

/** With a cache: only the streams it does not know are read, and stored ids are not looked for. */
async function readAppendState(
  db: pg.Pool,
  tables: StoreTables,
  requests: AppendRequest[],
  cache: StreamVersionCache | undefined,
): Promise<AppendState> {
  const versions = new Map<string, number>();
  const unknown: string[] = [];
  for (const streamId of new Set(requests.map((request) => request.streamId))) {
    const cached = cache?.get(streamId);
    if (cached === undefined) unknown.push(streamId);
    else versions.set(streamId, cached);
  }
  const clientIds = cache ? [] : requests.flatMap((request) => request.events.filter((e) => !e.idGenerated).map((e) => e.id));
  const [read, stored] = await Promise.all([
    unknown.length === 0
      ? { rows: [] }
      : db.query<{ stream_id: string; version: number }>(
          `SELECT stream_id, version FROM ${tables.streams} WHERE stream_id = ANY($1::text[])`,
          [unknown],
        ),
    clientIds.length === 0
      ? { rows: [] as EventRow[] }
      : db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ${tables.events} WHERE event_id = ANY($1::uuid[])`, [clientIds]),
  ]);
  for (const row of read.rows) versions.set(row.stream_id, row.version);
  return { versions, stored: new Map(stored.rows.map((row) => [row.event_id, toRecordedEvent(row, tables.storeId)])) };
}

interface Written {
  firstPosition: number;
  createdEpoch: number;
}

/** The batch as the append function takes it: one array per column, the payloads as JSON arrays. */
function columnsOf(plan: AppendPlan): unknown[] {
  const { events } = plan;
  const streams = [...plan.versionsAfter.keys()];
  const ids: string[] = [];
  const streamIds: string[] = [];
  const versions: number[] = [];
  const types: string[] = [];
  const data: string[] = [];
  const metadata: string[] = [];
  const contentTypes: string[] = [];
  for (const event of events) {
    ids.push(event.id);
    streamIds.push(event.streamId);
    versions.push(event.version);
    types.push(event.type);
    data.push(event.dataJson);
    metadata.push(event.metadataJson);
    contentTypes.push(event.contentType);
  }
  const assumed = streams.map((id) => plan.assumedVersions.get(id)!);
  return [streams, assumed, plan.freshIds, ids, streamIds, versions, types, `[${data.join(',')}]`, `[${metadata.join(',')}]`, contentTypes];
}

/** The statement that writes a batch: the append function of migration 005, its parameters as `columnsOf` orders them. */
export function appendCall(tables: StoreTables): string {
  return `SELECT first_position, created_epoch FROM ${tables.appendFunction}(
       $1::text[], $2::int[], $3::uuid[],
       $4::uuid[], $5::text[], $6::int[], $7::text[], $8::json, $9::json, $10::text[])`;
}

/** Null when the state the plan assumed changed before the lock was taken. */
async function writePlan(db: pg.Pool, tables: StoreTables, plan: AppendPlan): Promise<Written | null> {
  const { rows } = await db.query<{ first_position: string | null; created_epoch: string | null }>(appendCall(tables), columnsOf(plan));
  const row = rows[0];
  if (!row || row.first_position === null) return null;
  return { firstPosition: Number(row.first_position), createdEpoch: Number(row.created_epoch) };
}

/** The recorded events of a success are built only if the client asks for them; most appends ask for the version alone. */
function outcomesOf(plan: AppendPlan, written: Written, storeId: string): AppendOutcome[] {
  const recorded = (event: PlannedEvent): RecordedEvent => ({
    id: event.id,
    storeId,
    streamId: event.streamId,
    version: event.version,
    position: written.firstPosition + event.ordinal,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    contentType: event.contentType,
    createdEpoch: written.createdEpoch,
  });
  return plan.results.map((result) => {
    if (result.kind === 'done') return result.outcome;
    const last = result.events[result.events.length - 1]!;
    let events: RecordedEvent[] | undefined;
    return {
      ok: true,
      streamId: last.streamId,
      version: last.version,
      position: written.firstPosition + last.ordinal,
      get events() {
        events ??= result.events.map(recorded);
        return events;
      },
    };
  });
}
