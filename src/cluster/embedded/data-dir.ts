import fs from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedNodeError, errorCode } from './errors.js';
import {
  existingRelocation,
  forgetPgdata,
  locationFile,
  prepareRelocationParents,
  recordedPgdata,
  recordPgdata,
  relocationCandidates,
} from './pgdata-location.js';
import { canAccess, describeMode, firstClosedFolder, OS_USER, type Identity } from './postgres-user.js';

type Owner = NonNullable<Identity>;

/**
 * Creates the data folder and returns PGDATA, owned by the server's user:
 * `${dataDir}/pg`, or a place that user can reach when it cannot reach dataDir.
 */
export async function prepareDataDir(dataDir: string, identity: Identity, log: (line: string) => void): Promise<string> {
  await createFolder(dataDir, 0o755);
  if (!identity) {
    const pgdata = path.join(dataDir, 'pg');
    await claimPgdata(pgdata, identity);
    return pgdata;
  }
  return pgdataForPostgresUser(dataDir, identity, log);
}

async function pgdataForPostgresUser(dataDir: string, identity: Owner, log: (line: string) => void): Promise<string> {
  const realDataDir = await fs.realpath(dataDir);
  const recorded = await recordedPgdata(dataDir, realDataDir);
  if (recorded) {
    await claimPgdata(recorded, identity);
    assertReachable(recorded, identity);
    log(relocationNotice(dataDir, recorded, firstClosedFolder(identity, realDataDir)));
    return recorded;
  }

  let closed = firstClosedFolder(identity, realDataDir);
  if (closed === realDataDir && (await isOwnFolder(realDataDir))) {
    // Our own data folder (mkdtemp makes them 0700): letting the server pass through beats moving its data.
    await openForSearch(realDataDir);
    closed = firstClosedFolder(identity, realDataDir);
  }
  if (!closed) {
    const pgdata = path.join(dataDir, 'pg');
    await claimPgdata(pgdata, identity);
    assertReachable(pgdata, identity);
    await forgetPgdata(dataDir);
    return pgdata;
  }

  const relocated = await relocate(realDataDir, identity);
  if (!relocated) {
    const tried = relocationCandidates(realDataDir).join(' nor ');
    throw new EmbeddedNodeError(
      `PostgreSQL runs as the "${OS_USER}" user (the gateway runs as root) and that user cannot reach ${path.join(dataDir, 'pg')}: ${closed} is closed to it (${describeMode(closed)}), and neither ${tried} could hold the data instead; set GATER_DATA_DIR to a folder under /tmp or /var/lib, or run as a non-root user`,
    );
  }
  await recordPgdata(dataDir, relocated);
  log(relocationNotice(dataDir, relocated, closed));
  return relocated;
}

async function relocate(realDataDir: string, identity: Owner): Promise<string | undefined> {
  const existing = await existingRelocation(realDataDir);
  if (existing) {
    await claimPgdata(existing, identity);
    assertReachable(existing, identity);
    return existing;
  }
  for (const pgdata of relocationCandidates(realDataDir)) {
    if (!(await prepareRelocationParents(pgdata))) continue;
    try {
      await claimPgdata(pgdata, identity);
    } catch {
      continue;
    }
    if (canAccess(identity, pgdata, ['-w', '-x'])) return pgdata;
  }
  return undefined;
}

function relocationNotice(dataDir: string, pgdata: string, closed: string | undefined): string {
  const why = closed
    ? `the "${OS_USER}" user that runs it cannot reach ${closed} (${describeMode(closed)})`
    : `it was put there when ${dataDir} was closed to the "${OS_USER}" user`;
  return `embedded node: PostgreSQL data is kept in ${pgdata}, not in ${dataDir}, because ${why}; ${locationFile(dataDir)} records the place`;
}

export async function createFolder(folder: string, mode: number): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true, mode });
  } catch (error) {
    throw new EmbeddedNodeError(
      `cannot create the data folder ${folder} (${errorCode(error)}); set GATER_DATA_DIR to a folder this user can write`,
    );
  }
}

/** PostgreSQL insists on owning its data folder and on nobody else being let in. */
async function claimPgdata(pgdata: string, identity: Identity): Promise<void> {
  await createFolder(pgdata, 0o700);
  if (identity) await handOver(pgdata, identity);
  await fs.chmod(pgdata, 0o700);
}

export async function handOver(pgdata: string, identity: Owner): Promise<void> {
  const stats = await fs.stat(pgdata);
  if (stats.uid === identity.uid && stats.gid === identity.gid) return;
  await chownTree(pgdata, identity);
}

export async function chownTree(target: string, identity: Owner): Promise<void> {
  await fs.lchown(target, identity.uid, identity.gid);
  const stats = await fs.lstat(target);
  if (!stats.isDirectory()) return;
  for (const entry of await fs.readdir(target)) await chownTree(path.join(target, entry), identity);
}

function assertReachable(pgdata: string, identity: Owner): void {
  if (canAccess(identity, pgdata, ['-w', '-x'])) return;
  const blocked = firstClosedFolder(identity, pgdata) ?? pgdata;
  throw new EmbeddedNodeError(
    `PostgreSQL runs as the "${OS_USER}" user (the gateway runs as root) and that user cannot reach ${pgdata}: ${blocked} is closed to it (${describeMode(blocked)}); set GATER_DATA_DIR to a folder under /tmp or /var/lib, or run as a non-root user`,
  );
}

async function isOwnFolder(folder: string): Promise<boolean> {
  return (await fs.stat(folder)).uid === process.getuid?.();
}

/** Search only (o+x, g+x): the server can pass through to PGDATA but not list the folder. */
async function openForSearch(folder: string): Promise<void> {
  const { mode } = await fs.stat(folder);
  await fs.chmod(folder, (mode & 0o7777) | 0o011);
}
