import type pg from 'pg';
import { notifySql } from './notices.js';
import type { StoreTables } from '../tables.js';

/**
 * Sends a subscription's parked events back to delivery, due now and with
 * their retry count starting again from 0. Answers how many, or null when
 * there is no such subscription.
 */
export async function replayParked(db: pg.Pool, tables: StoreTables, subscription: string): Promise<number | null> {
  const { rows } = await db.query<{ replayed: number; found: boolean }>(
    // The subscription's row is locked before anything is sent back, so that a removal either waits for the replay
    // and then deletes what it sent back, or goes first and leaves nothing to replay.
    `WITH subscription AS (
       SELECT name FROM ${tables.subscriptions} WHERE name = $1 FOR KEY SHARE
     ),
     unparked AS (
       DELETE FROM ${tables.parked} WHERE subscription = $1 AND EXISTS (SELECT 1 FROM subscription) RETURNING event_id, position
     ),
     replayed AS (
       INSERT INTO ${tables.inFlight} (subscription, event_id, position, delivery_count, consumer_id, gateway_id, due)
       SELECT $1, event_id, position, 0, NULL, NULL, now() FROM unparked
       ON CONFLICT DO NOTHING
       RETURNING 1
     )
     SELECT count(*)::int AS replayed,
       EXISTS (SELECT 1 FROM subscription) AS found,
       CASE WHEN count(*) > 0 THEN ${notifySql(tables, '$1::text')} END
     FROM replayed`,
    [subscription],
  );
  const row = rows[0]!;
  return row.found ? row.replayed : null;
}
