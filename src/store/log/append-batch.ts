import type pg from 'pg';
import { arrayLiteral } from '../array-literal.js';
import { preparedStatement } from '../prepared.js';
import type { StoreTables } from '../tables.js';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '../event-row.js';
import { newEventId } from '../event-id.js';
import { conditionDocument } from './condition-document.js';
import { planAppends, type AppendPlan, type AppendState, type BatchMember, type MemberOutcome, type PlannedEvent, type StreamState } from './append-plan.js';
import type { StreamVersionCache } from './stream-version-cache.js';
import type { AppendSuccess, RecordedEvent } from '../types.js';
import { STALE_PLAN_SQLSTATE } from '../migrations/append-function-parts.js';
import { sqlLiteral } from '../migrations/sql-literal.js';

/** What this gateway committed to a store since it started; read by /metrics. */
export interface AppendCounters {
  events: number;
  batches: number;
  /** Told of each batch committed: its events, and when its commit began (`performance.now()`); for /metrics. */
  committed?: (events: number, began: number) => void;
}

/** Unmet conditions found by one write bound how often a batch is planned again; this bounds that too. */
const MAX_ATTEMPTS = 20;

/** Longest a transaction holding the store lock may wait for its gateway's next statement before the server ends it (ms). */
const LOCKED_IDLE_TIMEOUT_MS = 5_000;

/** What a connection or pool is asked: the statements of a batch. */
type Queryable = Pick<pg.PoolClient, 'query'>;

/** A plan and what its write found, or the answers of a batch that had nothing to write. */
type Attempt = { plan: AppendPlan; written: Written } | { answers: MemberOutcome[] } | { stale: true; streamsMoved: boolean };

/**
 * Appends many independent members (single-stream, multi-stream, conditional)
 * in one transaction (group commit). The batch is planned in memory, then
 * written by one statement that takes the store's advisory lock, verifies
 * that the state the plan assumed still holds, checks the members'
 * conditions against what is stored, and assigns positions under the lock
 * (in commit order across every gateway).
 *
 * The first plan is optimistic: stream versions come from the cache, and
 * client-given ids are assumed new. Most batches then cost one round trip.
 * When that plan fails a request, it is planned again from what the
 * database holds. A condition the write found matched is answered as failed
 * (it was, under the lock) and the rest of the batch is planned again
 * without that member.
 *
 * When the write finds the plan stale (another gateway wrote the same
 * streams), the batch is planned from what the database holds read under the
 * store's lock, in one transaction with the write, which no other writer can
 * make stale; so are the batches that follow for a while. Planned again
 * outside the lock, two gateways writing the same streams made each other's
 * plans stale over and over, and appended a few hundred events a second
 * where one gateway alone appends thousands.
 */
export async function appendBatch(
  db: pg.Pool,
  tables: StoreTables,
  members: BatchMember[],
  cache: StreamVersionCache,
  counters: AppendCounters,
): Promise<MemberOutcome[]> {
  const began = performance.now();
  const unmet = new Map<number, number>();
  const guessed = cache.contended ? undefined : await planAndWrite(db, tables, members, unmet, cache);
  // A retry whose ids are stored already is planned under the lock too, but says nothing of other writers.
  if (guessed && 'stale' in guessed && guessed.streamsMoved) cache.guessedWrong();
  let attempt = !guessed || 'stale' in guessed ? await planAndWriteUnderStoreLock(db, tables, members, unmet) : guessed;
  // Under the lock nothing moves and client-given ids were read: only an id the gateway made can have been taken.
  if ('stale' in attempt) attempt = await planAndWriteUnderStoreLock(db, tables, withNewGeneratedIds(members), unmet);
  if ('stale' in attempt) throw new Error('an append plan read under the store lock went stale');
  if ('answers' in attempt) return attempt.answers;
  const { plan, written } = attempt;
  for (const [streamId, version] of plan.versionsAfter) cache.remember(streamId, version + (written.shifts.get(streamId) ?? 0));
  counters.batches++;
  counters.events += plan.events.length;
  counters.committed?.(plan.events.length, began);
  return outcomesOf(plan, written, tables.storeId);
}

/** The members with new ids for the events whose ids the gateway made. */
function withNewGeneratedIds(members: BatchMember[]): BatchMember[] {
  return members.map((member) => ({
    ...member,
    parts: member.parts.map((part) => ({ ...part, events: part.events.map((event) => (event.idGenerated ? { ...event, id: newEventId() } : event)) })),
  }));
}

/**
 * Plans the batch and writes it, again without the members whose conditions
 * the write found matched. With a cache, the first plan takes its versions;
 * a plan that then refuses a member is made again from what the database holds.
 */
async function planAndWrite(
  db: Queryable,
  tables: StoreTables,
  members: BatchMember[],
  unmet: Map<number, number>,
  cache: StreamVersionCache | undefined,
): Promise<Attempt> {
  let guess = cache;
  let state: AppendState | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    state ??= await readAppendState(db, tables, members, guess);
    const plan = planAppends(members, state, unmet);
    if (guess && plan.results.some((result) => result.kind === 'done' && !result.outcome.ok && result.outcome.reason !== 'condition_failed')) {
      guess = undefined;
      state = undefined;
      continue;
    }
    if (plan.events.length === 0 && plan.checks.length === 0) return { answers: plan.results.map((result) => (result.kind === 'done' ? result.outcome : unreachable())) };
    const written = await writePlan(db, tables, plan);
    if (written.kind === 'written') return { plan, written };
    if (written.kind === 'stale') {
      cache?.forget(plan.assumed.keys());
      return { stale: true, streamsMoved: written.streamsMoved };
    }
    // The state held under the lock: plan again from it, with those members answered.
    for (const [member, position] of written.unmet) unmet.set(member, position);
  }
  throw new Error(`append batch still had unmet conditions after ${MAX_ATTEMPTS} attempts`);
}

/** Plans and writes the batch in a transaction that holds the store's lock from its start, and commits it. */
async function planAndWriteUnderStoreLock(db: pg.Pool, tables: StoreTables, members: BatchMember[], unmet: Map<number, number>): Promise<Attempt> {
  const borrowed = await db.connect();
  const connection = oneAtATime(borrowed);
  try {
    // Read committed whatever the server's default, so that the read, a statement after the lock's, sees the
    // commit of the lock's last holder. A gateway that stops answering mid-transaction (a network cut, a stalled
    // process) must not keep every writer of the store waiting: the server ends the transaction itself.
    await connection.query(
      `BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL idle_in_transaction_session_timeout = ${LOCKED_IDLE_TIMEOUT_MS};
       SELECT pg_advisory_xact_lock(hashtext(${sqlLiteral(tables.lockKey)}))`,
    );
    const attempt = await planAndWrite(connection, tables, members, unmet, undefined);
    await connection.query('COMMIT');
    borrowed.release();
    return attempt;
  } catch (error) {
    // Closed instead of lent again, which rolls back what the transaction began.
    borrowed.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/**
 * The connection with each statement sent once the one before it is
 * answered, in the order they were asked for: the read of the append state
 * asks for two at once, which node-postgres queues itself on one connection,
 * but says it will stop doing so.
 */
function oneAtATime(connection: Queryable): Queryable {
  let previous: Promise<unknown> = Promise.resolve();
  const query = (...args: unknown[]) => {
    const next = previous.then(() => (connection.query as (...a: unknown[]) => Promise<unknown>)(...args));
    previous = next.catch(() => undefined);
    return next;
  };
  return { query: query as Queryable['query'] };
}

function unreachable(): never {
  throw new Error('a batch with nothing to write planned a write');
}

/** With a cache: only the streams it does not know are read, and stored ids are not looked for. */
async function readAppendState(
  db: Queryable,
  tables: StoreTables,
  members: BatchMember[],
  cache: StreamVersionCache | undefined,
): Promise<AppendState> {
  const streams = new Map<string, StreamState>();
  const unknown: string[] = [];
  const ids = new Set<string>();
  for (const member of members) for (const part of member.parts) ids.add(part.streamId);
  for (const streamId of ids) {
    const cached = cache?.get(streamId);
    if (cached === undefined) unknown.push(streamId);
    else streams.set(streamId, { version: cached, deleted: null });
  }
  const clientIds = cache
    ? []
    : members.flatMap((member) => member.parts.flatMap((part) => part.events.filter((e) => !e.idGenerated).map((e) => e.id)));
  const [read, stored] = await Promise.all([
    unknown.length === 0
      ? { rows: [] }
      : db.query<{ stream_id: string; version: number; deleted: 'soft' | 'hard' | null }>(
          `SELECT stream_id, version, deleted FROM ${tables.streams} WHERE stream_id = ANY($1::text[])`,
          [unknown],
        ),
    clientIds.length === 0
      ? { rows: [] as EventRow[] }
      : db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM ${tables.events} WHERE event_id = ANY($1::uuid[])`, [clientIds]),
  ]);
  for (const row of read.rows) streams.set(row.stream_id, { version: row.version, deleted: row.deleted });
  return { streams, stored: new Map(stored.rows.map((row) => [row.event_id, toRecordedEvent(row, tables.storeId)])) };
}

interface Written {
  kind: 'written';
  firstPosition: number;
  createdEpoch: number;
  /** Per check of the plan: the first stored event its condition matched, or null. */
  conditionPositions: (number | null)[];
  /** How far the write moved a movable stream's events from their planned versions, for the streams it moved. */
  shifts: Map<string, number>;
}

/** A stale plan says whether a stream moved (another writer of the same streams), or only an id it took for fresh got stored (a retry). */
type WriteResult = Written | { kind: 'stale'; streamsMoved: boolean } | { kind: 'unmet'; unmet: Map<number, number> };

/** The batch as the append function takes it: one array per column, the payloads and conditions as JSON documents. */
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
  const assumed = streams.map((id) => plan.assumed.get(id)!);
  return [
    arrayLiteral(streams),
    arrayLiteral(assumed.map((state) => state.version)),
    assumed.map((state) => state.deleted),
    arrayLiteral([...plan.versionsAfter.values()]),
    arrayLiteral(streams.map((id) => (plan.movable.has(id) ? 't' : 'f'))),
    arrayLiteral(plan.freshIds),
    arrayLiteral(ids),
    arrayLiteral(streamIds),
    arrayLiteral(versions),
    arrayLiteral(types),
    `[${data.join(',')}]`,
    `[${metadata.join(',')}]`,
    arrayLiteral(contentTypes),
    JSON.stringify(plan.checks.map(({ condition, required }) => ({ ...conditionDocument(condition), required }))),
  ];
}

/** The statement that writes a batch: the append function with the parameters of migration 011 (its body is 012's), as `columnsOf` orders them. */
export function appendCall(tables: StoreTables): string {
  return `SELECT first_position, created_epoch, condition_positions, version_shifts FROM ${tables.appendFunction}(
       $1::text[], $2::int[], $3::text[], $4::int[], $5::boolean[], $6::uuid[],
       $7::uuid[], $8::text[], $9::int[], $10::text[], $11::json, $12::json, $13::text[], $14::jsonb)`;
}

/**
 * The append function failed the statement because the plan no longer held:
 * a stream moved (STALE_PLAN_SQLSTATE), or an id the plan took for fresh got
 * stored (the unique key on event_id).
 */
export function isStalePlanError(error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === STALE_PLAN_SQLSTATE || (code === UNIQUE_VIOLATION && constraint === 'events_event_id_key');
}

const UNIQUE_VIOLATION = '23505';

async function writePlan(db: Queryable, tables: StoreTables, plan: AppendPlan): Promise<WriteResult> {
  type Answer = { first_position: string | null; created_epoch: string | null; condition_positions: (string | null)[] | null; version_shifts: number[] | null };
  let answer: pg.QueryResult<Answer>;
  try {
    answer = await db.query<Answer>(preparedStatement(appendCall(tables), columnsOf(plan)));
  } catch (error) {
    if (isStalePlanError(error)) return { kind: 'stale', streamsMoved: (error as { code?: unknown }).code === STALE_PLAN_SQLSTATE };
    throw error;
  }
  const row = answer.rows[0];
  // The check that answers nothing cannot tell a moved stream from a stored id.
  if (!row || row.condition_positions === null) return { kind: 'stale', streamsMoved: true };
  const conditionPositions = row.condition_positions.map((position) => (position === null ? null : Number(position)));
  if (row.first_position === null) {
    const unmet = new Map<number, number>();
    plan.checks.forEach((check, index) => {
      const position = conditionPositions[index];
      if (check.required && position !== null && position !== undefined) unmet.set(check.member, position);
    });
    // Nothing to write (every member answered already) is not a refusal: answer from what was found.
    if (unmet.size > 0 || plan.events.length > 0) return { kind: 'unmet', unmet };
    return { kind: 'written', firstPosition: 0, createdEpoch: 0, conditionPositions, shifts: new Map() };
  }
  return { kind: 'written', firstPosition: Number(row.first_position), createdEpoch: Number(row.created_epoch), conditionPositions, shifts: shiftsOf(plan, row.version_shifts) };
}

/** The streams the write moved on, by how far; the function answers one shift per stream of the plan, or null when it moved none. */
function shiftsOf(plan: AppendPlan, versionShifts: number[] | null): Map<string, number> {
  const shifts = new Map<string, number>();
  if (!versionShifts) return shifts;
  let index = 0;
  for (const streamId of plan.versionsAfter.keys()) {
    const shift = versionShifts[index++]!;
    if (shift !== 0) shifts.set(streamId, shift);
  }
  return shifts;
}

/** The recorded events of a success are built only if the client asks for them; most appends ask for the version alone. */
function outcomesOf(plan: AppendPlan, written: Written, storeId: string): MemberOutcome[] {
  const versionOf = (event: PlannedEvent) => event.version + (written.shifts.get(event.streamId) ?? 0);
  const recorded = (event: PlannedEvent): RecordedEvent => ({
    id: event.id,
    storeId,
    streamId: event.streamId,
    version: versionOf(event),
    position: written.firstPosition + event.ordinal,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    contentType: event.contentType,
    createdEpoch: written.createdEpoch,
  });
  const partSuccess = (planned: PlannedEvent[]): AppendSuccess => {
    const last = planned[planned.length - 1]!;
    let events: RecordedEvent[] | undefined;
    return {
      ok: true,
      streamId: last.streamId,
      version: versionOf(last),
      position: written.firstPosition + last.ordinal,
      get events() {
        events ??= planned.map(recorded);
        return events;
      },
    };
  };
  return plan.results.map((result, index) => {
    switch (result.kind) {
      case 'done':
        return result.outcome;
      case 'unmet':
        return { ok: false, reason: 'condition_failed', position: written.conditionPositions[result.check] ?? written.firstPosition + result.ordinal };
      case 'write': {
        const streams = result.parts.map(partSuccess);
        if (!planMemberIsMulti(plan, index)) return streams[0]!;
        return { ok: true, streams, position: Math.max(...streams.map((stream) => stream.position)) };
      }
    }
  });
}

function planMemberIsMulti(plan: AppendPlan, index: number): boolean {
  return plan.multi[index] ?? false;
}
