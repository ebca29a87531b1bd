import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { storeTables, type StoreTables } from '../../src/store/tables.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface MigratedStore {
  tables: StoreTables;
  /** A pool on the store's database, open for the file's tests. */
  readonly pool: pg.Pool;
}

/** For SQL-level tests: a store's tables, migrated, in a fresh database for the test file; no gateway. */
export function useMigratedStore(storeId: string): MigratedStore {
  const tables = storeTables(storeId);
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    await migrate(pool, tables);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });
  return {
    tables,
    get pool() {
      if (!pool) throw new Error('the store is migrated in beforeAll; use it inside a test');
      return pool;
    },
  };
}
