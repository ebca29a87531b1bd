import type pg from 'pg';
import type { StoreTables } from '../tables.js';

/** Which of these subscription names exist. */
export async function existingSubscriptions(db: pg.Pool, tables: StoreTables, names: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM ${tables.subscriptions} WHERE name = ANY($1::text[])`, [
    [...new Set(names)],
  ]);
  return new Set(rows.map((row) => row.name));
}
