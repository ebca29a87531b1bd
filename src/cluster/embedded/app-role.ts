import pg from 'pg';
import type { Credentials } from './credentials.js';
import { scramVerifier, verifies } from './scram-verifier.js';
import { handStoresTo } from './store-ownership.js';

export interface AppRoleInput {
  /** Superuser URL of the maintenance database. */
  adminUrl: string;
  /** Superuser URL of the gateway's database. */
  databaseAdminUrl: string;
  /** The gateway's database. */
  database: string;
  app: Credentials;
  log: (line: string) => void;
}

/** What the role is now; all null when it does not exist. */
const ROLE_STATE = `
  SELECT pg_is_in_recovery() AS standby,
         r.rolname IS NOT NULL AS exists,
         r.rolpassword AS verifier,
         r.rolcanlogin AND NOT (r.rolsuper OR r.rolcreatedb OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls) AS least,
         has_database_privilege(r.oid, $2::text, 'CONNECT') AND has_database_privilege(r.oid, $2::text, 'CREATE')
           AND has_database_privilege(r.oid, $2::text, 'TEMPORARY') AS granted
    FROM (SELECT) AS one LEFT JOIN pg_authid r ON r.rolname = $1::text`;

interface RoleState {
  standby: boolean;
  exists: boolean;
  verifier: string | null;
  least: boolean | null;
  granted: boolean | null;
}

/**
 * Makes the role the gateway connects as: it may log in, connect to the
 * gateway's database and create schemas there (one per store, which it then
 * owns), and nothing more: no superuser, no new databases or roles, no
 * replication. Checked on every start, and changed only where it differs: its
 * password follows the credentials file, and stores made by older versions, as
 * the superuser, are handed over to it. A standby is left alone: roles, grants
 * and owners reach it from its primary.
 */
export async function ensureAppRole({ adminUrl, databaseAdminUrl, database, app, log }: AppRoleInput): Promise<void> {
  const role = pg.escapeIdentifier(app.user);
  const standby = await asSuperuser(adminUrl, async (client) => {
    const { rows } = await client.query<RoleState>(ROLE_STATE, [app.user, database]);
    const state = rows[0]!;
    if (state.standby) return true;
    if (!state.exists) await client.query(`CREATE ROLE ${role}`);
    if (!state.least || !(await verifies(state.verifier, app.password))) {
      const verifier = await scramVerifier(app.password);
      await client.query(
        `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${pg.escapeLiteral(verifier)}`,
      );
    }
    if (!state.granted) await client.query(`GRANT CONNECT, TEMPORARY, CREATE ON DATABASE ${pg.escapeIdentifier(database)} TO ${role}`);
    return false;
  });
  if (standby) return;
  const handed = await asSuperuser(databaseAdminUrl, (client) => handStoresTo(client, app.user));
  if (handed > 0) log(`embedded node: the role "${app.user}" now owns the stores made by an older version as the superuser (${handed} objects)`);
}

async function asSuperuser<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    // A primary told to wait for a synchronous standby that is not up yet would hang start-up here.
    // What is written is checked again on every start, so a failover that loses it loses nothing.
    await client.query('SET synchronous_commit TO local');
    return await run(client);
  } finally {
    await client.end().catch(() => {});
  }
}
