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
