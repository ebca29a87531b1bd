/**
 * When the `postgres` user cannot reach the caller's data folder (a checkout in
 * /root, say), PGDATA lives in a root-owned folder named after the data folder's
 * real path, so the same data folder always finds the same PGDATA. A file in the
 * data folder records where, for the operator and for the next start.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const LOCATION_FILE = 'pgdata-location';

/** Where PGDATA may go for the data folder at `realDataDir`, best first. */
export function relocationCandidates(realDataDir: string): string[] {
  const name = locationName(realDataDir);
  return ['/var/lib/gater', path.join(os.tmpdir(), 'gater-data')].map((base) => path.join(base, name, 'pg'));
}

function locationName(realDataDir: string): string {
  return createHash('sha256').update(realDataDir).digest('hex').slice(0, 16);
}

export function locationFile(dataDir: string): string {
  return path.join(dataDir, LOCATION_FILE);
}

/** The PGDATA recorded by an earlier start, if it still belongs to this data folder and nobody else could have planted it. */
export async function recordedPgdata(dataDir: string, realDataDir: string): Promise<string | undefined> {
  let recorded: string;
  try {
    recorded = (await fs.readFile(locationFile(dataDir), 'utf8')).trim();
  } catch {
    return undefined;
  }
  // A data folder copied elsewhere carries the record along; it must not lead to the original's data.
  const ours = path.isAbsolute(recorded) && path.basename(recorded) === 'pg' && path.basename(path.dirname(recorded)) === locationName(realDataDir);
  if (!ours || !(await hasTrustedParents(recorded)) || !existsSync(recorded)) return undefined;
  return recorded;
}

/** A candidate that already holds a cluster: an earlier start put the data there. */
export async function existingRelocation(realDataDir: string): Promise<string | undefined> {
  for (const pgdata of relocationCandidates(realDataDir)) {
    if (existsSync(path.join(pgdata, 'PG_VERSION')) && (await hasTrustedParents(pgdata))) return pgdata;
  }
  return undefined;
}

/** Creates the folders above `pgdata` as root's, open to read; false when they cannot be made or cannot be trusted. */
export async function prepareRelocationParents(pgdata: string): Promise<boolean> {
  const hashFolder = path.dirname(pgdata);
  try {
    await createOpenFolder(path.dirname(hashFolder));
    await createOpenFolder(hashFolder);
  } catch {
    return false;
  }
  return hasTrustedParents(pgdata);
}

export async function recordPgdata(dataDir: string, pgdata: string): Promise<void> {
  const file = locationFile(dataDir);
  const current = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (current?.trim() !== pgdata) await fs.writeFile(file, `${pgdata}\n`, { mode: 0o644 });
}

export async function forgetPgdata(dataDir: string): Promise<void> {
  await fs.rm(locationFile(dataDir), { force: true });
}

async function createOpenFolder(folder: string): Promise<void> {
  const created = await fs.mkdir(folder, { recursive: true, mode: 0o755 });
  // The umask may have closed it.
  if (created) await fs.chmod(folder, 0o755);
}

/** Both folders may sit in the shared temp folder, where anyone could have made them first. */
async function hasTrustedParents(pgdata: string): Promise<boolean> {
  const hashFolder = path.dirname(pgdata);
  return (await isTrustedFolder(hashFolder)) && (await isTrustedFolder(path.dirname(hashFolder)));
}

async function isTrustedFolder(folder: string): Promise<boolean> {
  try {
    const stats = await fs.lstat(folder);
    return stats.isDirectory() && stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
