import pg from 'pg';

/** Runs `work` on a connection of its own to the bench's server, closed afterwards. */
async function withAdmin<T>(adminUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh database for one suite on the bench's server: its URL and the server's version. */
export function freshDatabase(adminUrl: string, name: string): Promise<{ url: string; serverVersion: string }> {
  return withAdmin(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), serverVersion: rows[0]!.server_version };
  });
}

/** Drops a suite's database and flushes what it wrote, so the next suite does not pay for it. */
export function dropDatabase(adminUrl: string, name: string): Promise<void> {
  return withAdmin(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query('CHECKPOINT').catch(() => undefined);
  });
}

/** Server settings that move the figures: without autovacuum, the tables a suite churns (persistent leases) keep their dead rows. */
const SETTINGS_THAT_MATTER = ['server_version', 'autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers'] as const;

export type ServerSettings = Record<(typeof SETTINGS_THAT_MATTER)[number], string>;

export function serverSettings(adminUrl: string): Promise<ServerSettings> {
  return withAdmin(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`,
      [SETTINGS_THAT_MATTER],
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.setting])) as ServerSettings;
  });
}
