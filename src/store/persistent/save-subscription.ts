import type pg from 'pg';
import { notifySql } from './notices.js';
import {
  DEFAULT_SUBSCRIPTION_SETTINGS,
  type SaveOutcome,
  type SettingsChange,
  type SubscriptionDefinition,
} from './types.js';
import { SUBSCRIPTION_COLUMNS, toStoredSubscription, type SubscriptionRow } from './subscription-row.js';
import type { StoreTables } from '../tables.js';

/**
 * Creates a subscription, or changes the settings of the one of that name
 * when it selects the same events from the same start; settings left null
 * keep their value (or take the default on creation). Without a start
 * position a new subscription starts after the last event stored now.
 * Gateways serving it hear of the change.
 */
export async function saveSubscription(
  db: pg.Pool,
  tables: StoreTables,
  definition: SubscriptionDefinition,
  settings: SettingsChange,
): Promise<SaveOutcome> {
  const { rows } = await db.query<SubscriptionRow & { created: boolean }>(
    `WITH saved AS (
       INSERT INTO ${tables.subscriptions} AS s
         (name, type, selector, pattern, start_from, max_retries, ack_timeout_ms, max_in_flight, read_position)
       VALUES ($1, $2, $3, $4::jsonb, $5::bigint,
               coalesce($6::int, $9::int), coalesce($7::int, $10::int), coalesce($8::int, $11::int),
               CASE WHEN $5::bigint IS NULL THEN (SELECT position FROM ${tables.head}) ELSE greatest($5::bigint - 1, 0) END)
       ON CONFLICT (name) DO UPDATE SET
         max_retries = coalesce($6::int, s.max_retries),
         ack_timeout_ms = coalesce($7::int, s.ack_timeout_ms),
         max_in_flight = coalesce($8::int, s.max_in_flight),
         updated = now()
       WHERE s.type = excluded.type
         AND s.selector IS NOT DISTINCT FROM excluded.selector
         AND s.pattern IS NOT DISTINCT FROM excluded.pattern
         AND ($5::bigint IS NULL OR s.start_from IS NOT DISTINCT FROM $5::bigint)
       RETURNING ${SUBSCRIPTION_COLUMNS}, (xmax = 0) AS created
     )
     SELECT saved.*, ${notifySql(tables, 'saved.name')} FROM saved`,
    [
      definition.name,
      definition.type,
      definition.selector,
      definition.pattern === null ? null : JSON.stringify(definition.pattern),
      definition.startFrom,
      settings.maxRetries,
      settings.ackTimeoutMs,
      settings.maxInFlight,
      DEFAULT_SUBSCRIPTION_SETTINGS.maxRetries,
      DEFAULT_SUBSCRIPTION_SETTINGS.ackTimeoutMs,
      DEFAULT_SUBSCRIPTION_SETTINGS.maxInFlight,
    ],
  );
  const saved = rows[0];
  if (saved) return { ok: true, created: saved.created, subscription: toStoredSubscription(saved) };
  const existing = await db.query<SubscriptionRow>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM ${tables.subscriptions} WHERE name = $1`, [
    definition.name,
  ]);
  // Removed between the two statements: what is asked can be created now.
  if (!existing.rows[0]) return saveSubscription(db, tables, definition, settings);
  return { ok: false, reason: 'definition_differs', existing: toStoredSubscription(existing.rows[0]) };
}
