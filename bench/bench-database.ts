import pg from 'pg';

/** A fresh database for one suite on the bench's server: its URL and the server's version. */
export async function freshDatabase(adminUrl: string, name: string): Promise<{ url: string; serverVersion: string }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), serverVersion: rows[0]!.server_version };
  } finally {
    await admin.end();
  }
}

/** Drops a suite's database and flushes what it wrote, so the next suite does not pay for it. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query('CHECKPOINT').catch(() => undefined);
  } finally {
    await admin.end();
  }
}

/** Server settings that move the figures: without autovacuum, the tables a suite churns (persistent leases) keep their dead rows. */
const SETTINGS_THAT_MATTER = ['server_version', 'autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers'] as const;

export type ServerSettings = Record<(typeof SETTINGS_THAT_MATTER)[number], string>;

export async function serverSettings(adminUrl: string): Promise<ServerSettings> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`,
      [SETTINGS_THAT_MATTER],
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.setting])) as ServerSettings;
  } finally {
    await admin.end();
  }
}
