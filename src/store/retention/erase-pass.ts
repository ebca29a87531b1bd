import type pg from 'pg';
import type { StoreTables } from '../tables.js';
import { hiddenBy, RETENTION_IS_SET } from './visible-sql.js';

export interface ErasePassRequest {
  /** Streams with retention are examined in id order, after this one ('' to start over). */
  afterStreamId: string;
  /** Most streams examined. */
  maxStreams: number;
  /** Most events erased. */
  maxEvents: number;
}

export interface ErasePassResult {
  /** False when another gateway's pass held the store: nothing was done. */
  ran: boolean;
  /** How many streams with retention were examined, and the last of them (null for none). */
  examinedStreams: number;
  lastStreamId: string | null;
  erasedEvents: number;
  /** Persistent-subscription rows of those events dropped: leases and due deliveries, and parked events. */
  erasedDeliveries: number;
}

/**
 * One bounded step of retention, in one statement. Each stream with limits
 * is examined by its first stored event alone: what its limits hide is a
 * prefix of it (versions, and in practice creation times, grow together), so
 * a stream with nothing to erase costs one index probe. From the streams
 * that have some, at most `maxEvents` events are deleted, with what
 * persistent subscriptions hold of them, and counted where the store's event
 * counts look (the head's event count, each stream's first version). A
 * transaction-scoped advisory lock keeps gateways from running passes on one
 * store at once; the pass that holds it then takes the store's own lock, as
 * appends and deletions do, so that they update the same rows in one order.
 */
export async function erasePass(db: pg.Pool, tables: StoreTables, request: ErasePassRequest): Promise<ErasePassResult> {
  const { rows } = await db.query<{ ran: boolean; examined: number; last_stream_id: string | null; events: number; deliveries: number }>(
    `WITH lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtext($1)) AS held),
     store_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtext($5)) FROM lock WHERE held),
     examined AS MATERIALIZED (
       SELECT m.stream_id, m.max_count, m.max_age_seconds, m.truncate_before, coalesce(${hiddenBy(tables, 'm', 'first')}, false) AS due
       FROM ${tables.streamMetadata} m
       LEFT JOIN LATERAL (
         SELECT version, created FROM ${tables.events} e WHERE e.stream_id = m.stream_id ORDER BY version LIMIT 1
       ) first ON true
       WHERE ${RETENTION_IS_SET} AND m.stream_id > $2 AND EXISTS (SELECT 1 FROM store_lock)
       ORDER BY m.stream_id LIMIT $3
     ),
     doomed AS MATERIALIZED (
       SELECT e.position, e.event_id
       FROM examined m
       CROSS JOIN LATERAL (
         SELECT position, event_id, version, created FROM ${tables.events} e WHERE e.stream_id = m.stream_id ORDER BY version LIMIT $4
       ) e
       WHERE m.due AND ${hiddenBy(tables, 'm', 'e')}
       LIMIT $4
     ),
     gone AS (
       DELETE FROM ${tables.events} x USING doomed d WHERE x.position = d.position RETURNING x.stream_id, x.version
     ),
     in_flight AS (
       DELETE FROM ${tables.inFlight} f USING doomed d, ${tables.subscriptions} s
       WHERE f.subscription = s.name AND f.position = d.position AND f.event_id = d.event_id RETURNING 1
     ),
     parked AS (
       DELETE FROM ${tables.parked} p USING doomed d, ${tables.subscriptions} s
       WHERE p.subscription = s.name AND p.position = d.position RETURNING 1
     ),
     firsts AS (
       UPDATE ${tables.streams} s SET first_version = g.next
       FROM (SELECT stream_id, max(version) + 1 AS next FROM gone GROUP BY stream_id) g
       WHERE s.stream_id = g.stream_id AND s.first_version < g.next
     ),
     counted AS (
       UPDATE ${tables.head} SET event_count = event_count - (SELECT count(*) FROM gone) WHERE EXISTS (SELECT 1 FROM gone)
     )
     SELECT (SELECT held FROM lock) AS ran,
            (SELECT count(*)::int FROM examined) AS examined,
            (SELECT max(stream_id) FROM examined) AS last_stream_id,
            (SELECT count(*)::int FROM gone) AS events,
            (SELECT count(*)::int FROM in_flight) + (SELECT count(*)::int FROM parked) AS deliveries`,
    [`retention:${tables.lockKey}`, request.afterStreamId, request.maxStreams, request.maxEvents, tables.lockKey],
  );
  const row = rows[0]!;
  return {
    ran: row.ran,
    examinedStreams: row.examined,
    lastStreamId: row.last_stream_id,
    erasedEvents: row.events,
    erasedDeliveries: row.deliveries,
  };
}
