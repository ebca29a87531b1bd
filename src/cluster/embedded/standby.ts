import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CREDENTIALS_FILE } from './credentials.js';
import { chownTree, prepareDataDir } from './data-dir.js';
import { EmbeddedNodeError } from './errors.js';
import type { Identity } from './postgres-user.js';

/** Where a standby streams from. */
export interface StandbySource {
  /** postgres://user:password@host:port/… of the primary; the user needs the REPLICATION privilege. */
  primaryUrl: string;
  /** The standby's `application_name`, the name `synchronous_standby_names` on the primary refers to. */
  name: string;
}

/** The settings that make a server stream WAL from its primary. */
export function standbySettings({ primaryUrl, name }: StandbySource): Record<string, string> {
  const url = new URL(primaryUrl);
  const conninfo = {
    host: url.hostname,
    port: url.port || '5432',
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    application_name: name,
  };
  const quoted = Object.entries(conninfo)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}='${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  return { primary_conninfo: quoted.join(' ') };
}

/** `standby.signal` in PGDATA makes the server start in standby mode; promotion removes it. */
export async function writeStandbySignal(pgdata: string, identity: Identity): Promise<void> {
  const signal = path.join(pgdata, 'standby.signal');
  await fs.writeFile(signal, '', { mode: 0o600 });
  if (identity) await fs.chown(signal, identity.uid, identity.gid);
}

/**
 * A cold copy of a stopped node's data folder (its PGDATA and its credentials)
 * into an empty one: the way to make a standby without pg_basebackup. The copy
 * starts as the same cluster, so it can stream from the original.
 */
export async function cloneDataDir(fromDataDir: string, toDataDir: string, identity: Identity, log: (line: string) => void): Promise<void> {
  const from = await prepareDataDir(path.resolve(fromDataDir), identity, log);
  if (!existsSync(path.join(from, 'PG_VERSION'))) throw new EmbeddedNodeError(`${fromDataDir} holds no PostgreSQL data to copy`);
  if (existsSync(path.join(from, 'postmaster.pid'))) {
    throw new EmbeddedNodeError(`${from} is in use: stop its server before copying it (a copy of a running server is not consistent)`);
  }
  const to = await prepareDataDir(path.resolve(toDataDir), identity, log);
  if ((await fs.readdir(to)).length > 0) throw new EmbeddedNodeError(`${to} is not empty: a copy goes into an empty data folder`);
  await fs.cp(from, to, { recursive: true, verbatimSymlinks: true });
  await fs.rm(path.join(to, 'postmaster.opts'), { force: true });
  if (identity) await chownTree(to, identity);
  await fs.copyFile(path.join(fromDataDir, CREDENTIALS_FILE), path.join(toDataDir, CREDENTIALS_FILE));
}
