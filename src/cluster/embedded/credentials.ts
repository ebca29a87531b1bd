import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedNodeError, errorCode, isCode } from './errors.js';

const SUPERUSER = 'postgres';
/** The role the gateway's connections use: it owns the stores and is no superuser (see app-role.ts). */
export const APP_ROLE = 'gater';
/** The file in the data folder (not PGDATA) that holds the passwords of the superuser and of the app role. */
export const CREDENTIALS_FILE = 'credentials';

export interface Credentials {
  user: string;
  password: string;
}

/** The file's shape: the superuser at the top level, as older versions wrote it, and the app role beside. */
interface StoredCredentials extends Partial<Credentials> {
  app?: Partial<Credentials>;
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

/**
 * The app role's password, kept in the same file as the superuser's so that a copied data folder (a
 * standby) carries both. Data folders of older versions have none yet: it is made and added on first start.
 */
export async function readOrCreateAppCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  let stored: StoredCredentials;
  try {
    stored = JSON.parse(await fs.readFile(file, 'utf8')) as StoredCredentials;
  } catch (error) {
    throw new EmbeddedNodeError(`cannot read ${file} (${errorCode(error)}); fix or delete it`);
  }
  if (typeof stored.app?.password === 'string' && stored.app.password) return { user: APP_ROLE, password: stored.app.password };
  const app = { user: APP_ROLE, password: randomBytes(24).toString('hex') };
  // Written aside and renamed, so that a crash half-way never loses the superuser's password.
  const staging = `${file}.${randomBytes(6).toString('hex')}`;
  await fs.writeFile(staging, `${JSON.stringify({ ...stored, app })}\n`, { mode: 0o600 });
  await fs.rename(staging, file);
  return app;
}

export function connectionUrl(credentials: Credentials, port: number, database: string): string {
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
}
