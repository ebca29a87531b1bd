import type pg from 'pg';
import type { StoreTables } from './tables.js';
import { migrations } from './migrations/index.js';

/**
 * Brings one store's schema up to date. A session advisory lock makes two
 * gateways starting at once take turns, so each migration runs exactly once.
 */
export async function migrate(pool: pg.Pool, tables: StoreTables): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${tables.lockKey}`]);
    try {
      // CREATE SCHEMA IF NOT EXISTS asks for CREATE on the database even when the schema exists, and an
      // operator may have made the schema for a role that lacks it.
      const { rows: found } = await client.query<{ exists: boolean }>('SELECT to_regnamespace($1) IS NOT NULL AS exists', [tables.schema]);
      if (!found[0]?.exists) await client.query(`CREATE SCHEMA IF NOT EXISTS ${tables.schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${tables.migrations} (
           version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${tables.migrations}`);
      const applied = new Set(rows.map((row) => row.version));
      const newlyApplied: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql(tables));
          await client.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        newlyApplied.push(migration.version);
      }
      return newlyApplied;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${tables.lockKey}`]);
    }
  } finally {
    client.release();
  }
}
