import pg from 'pg';
import { isCode } from './errors.js';

/** The database the gateway uses, created on first start. */
export const DATABASE = 'gater';
export const MAINTENANCE_DATABASE = 'postgres';

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${database}`).catch((error: unknown) => {
      if (!isCode(error, '42P04')) throw error; // created meanwhile
    });
  } finally {
    await client.end().catch(() => {});
  }
}
