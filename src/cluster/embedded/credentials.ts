import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedNodeError, errorCode, isCode } from './errors.js';

const SUPERUSER = 'postgres';
/** The file in the data folder (not PGDATA) that holds the superuser's password. */
export const CREDENTIALS_FILE = 'credentials';

export interface Credentials {
  user: string;
  password: string;
}

/** The superuser's password lives in `${dataDir}/credentials`, made on first start. */
export async function readOrCreateCredentials(dataDir: string, pgdata: string): Promise<Credentials> {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  try {
    const stored = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<Credentials>;
    if (typeof stored.password === 'string' && stored.password) return { user: SUPERUSER, password: stored.password };
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw new EmbeddedNodeError(`cannot read ${file} (${errorCode(error)}); fix or delete it`);
  }
  if (existsSync(path.join(pgdata, 'PG_VERSION'))) {
    throw new EmbeddedNodeError(
      `${file} is missing but ${pgdata} already holds a cluster with a password; restore the file, or delete ${dataDir} to start empty`,
    );
  }
  const credentials = { user: SUPERUSER, password: randomBytes(24).toString('hex') };
  await fs.writeFile(file, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
  return credentials;
}

export function connectionUrl(credentials: Credentials, port: number, database: string): string {
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
}
