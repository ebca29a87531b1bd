import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { storeTables } from '../../src/store/tables.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** What an operator's own PostgreSQL gives the gateway: a login role that is no superuser, and no more. */
describe('migrating as a role that is no superuser', () => {
  const role = `gater_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let database: TestDatabase;
  let admin: pg.Pool;
  let app: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = new pg.Pool({ connectionString: database.url, max: 1 });
    await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`);
    const url = new URL(database.url);
    url.username = role;
    url.password = password;
    app = new pg.Pool({ connectionString: url.toString(), max: 1 });
  });

  afterAll(async () => {
    await app?.end();
    await admin?.end();
    await database?.drop();
    const maintenance = new URL(database.url);
    maintenance.pathname = '/postgres';
    const cleanup = new pg.Client({ connectionString: maintenance.toString() });
    await cleanup.connect();
    await cleanup.query(`DROP ROLE IF EXISTS ${role}`);
    await cleanup.end();
  });

  it('migrates a store whose schema was made for it beforehand, without CREATE on the database', async () => {
    const tables = storeTables('premade');
    await admin.query(`CREATE SCHEMA ${tables.schema} AUTHORIZATION ${role}`);
    expect(await migrate(app, tables)).toEqual(migrations.map((migration) => migration.version));
    expect(await migrate(app, tables)).toEqual([]);
  });

  it('needs CREATE on the database to make a store schema itself', async () => {
    const tables = storeTables('fresh');
    await expect(migrate(app, tables)).rejects.toMatchObject({ code: '42501' });
    await admin.query(`GRANT CREATE ON DATABASE ${new URL(database.url).pathname.slice(1)} TO ${role}`);
    expect(await migrate(app, tables)).toEqual(migrations.map((migration) => migration.version));
    const { rows } = await admin.query<{ owner: string }>('SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1', ['gater_fresh']);
    expect(rows).toEqual([{ owner: role }]);
  });
});
