import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import type { ScopedCondition } from './append-plan.js';
import { conditionDocument } from './condition-document.js';

/**
 * How far an append's condition can be known to hold, found without the
 * store's lock: the position before the first stored event it matches, or
 * the head when it matches none. The write then checks under the lock only
 * what comes after that, the events committed meanwhile.
 *
 * A condition whose events are rare and its `after` far back (a pattern over
 * payloads only, say) walks much of the log. Under the lock, as the append
 * function's check does it, every writer of the store waited for that walk:
 * four clients sending such appends over 300,000 events held everyone
 * else's appends at a third of a second.
 *
 * It matches as the append function's check does (`conditionPositionsUnderLock`),
 * but sees events that retention hides too, so that the walk under the lock
 * starts no later than the first event it could match: one hidden now may be
 * seen again by then (its stream's retention relaxed).
 *
 * Events at or below the head read here are all committed (positions are
 * assigned under the lock, in commit order), so none can appear among them later.
 */
export async function conditionClearUpTo(db: Pick<pg.ClientBase, 'query'>, tables: StoreTables, condition: ScopedCondition): Promise<number> {
  const { after, types, prefix, scope, pattern } = conditionDocument(condition);
  const values: unknown[] = [after];
  const parameter = (value: unknown, type: string) => `$${values.push(value)}::${type}`;
  const filters: string[] = [];
  if (types) filters.push(`e.type = ANY (${parameter(types, 'text[]')})`);
  if (prefix !== undefined) {
    const start = parameter(prefix, 'text');
    filters.push(`e.stream_id >= ${start} AND e.stream_id <= ${start} || chr(1114111) AND starts_with(e.stream_id, ${start})`);
  }
  if (scope) filters.push(`e.stream_id LIKE ANY (${parameter(scope, 'text[]')})`);
  if (pattern) {
    const given = parameter(JSON.stringify(pattern), 'jsonb');
    // As the append function does: containment rules out most rows before the exact match is asked.
    if ('data' in pattern) filters.push(`e.data @> (${given} -> 'data')`);
    if ('metadata' in pattern) filters.push(`e.metadata @> (${given} -> 'metadata')`);
    filters.push(`${tables.patternMatches}(${given}, jsonb_build_object('streamId', e.stream_id, 'type', e.type, 'data', e.data, 'metadata', e.metadata))`);
  }
  const { rows } = await db.query<{ head: string; first: string | null }>(
    `SELECT h.position AS head,
            (SELECT e.position FROM ${tables.events} e
             WHERE e.position > $1::bigint AND e.position <= h.position${filters.map((filter) => ` AND ${filter}`).join('')}
             ORDER BY e.position LIMIT 1) AS first
     FROM ${tables.head} h`,
    values,
  );
  const row = rows[0]!;
  return row.first === null ? Math.max(after, Number(row.head)) : Number(row.first) - 1;
}
