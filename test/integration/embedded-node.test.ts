import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedNodeError, startEmbeddedNode, type EmbeddedNode } from '../../src/cluster/embedded-node.js';
import { relocationCandidates } from '../../src/cluster/embedded/pgdata-location.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const childScript = fileURLToPath(new URL('../support/embedded-node-child.ts', import.meta.url));

const nodes: EmbeddedNode[] = [];
const children: ChildProcess[] = [];
const orphanPids: number[] = [];
const folders: string[] = [];
const isRoot = process.getuid?.() === 0;

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.stop()));
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const pid of orphanPids.splice(0)) killIfAlive(pid);
  for (const folder of folders.splice(0)) {
    await fs.chmod(folder, 0o700).catch(() => {});
    await fs.rm(folder, { recursive: true, force: true });
  }
});

describe('startEmbeddedNode', () => {
  it('runs a real PostgreSQL server whose data survives a restart', async () => {
    const dataDir = await reachableTempFolder();
    const first = await start(dataDir);

    const [row] = await query<{ version: string }>(first.url, 'SELECT version()');
    expect(row?.version).toMatch(/^PostgreSQL 17\./);
    await query(first.url, 'CREATE SCHEMA notes; CREATE TABLE notes.kept (note text)');
    await query(first.url, "INSERT INTO notes.kept VALUES ('before restart')");
    await first.stop();
    await first.stop();

    const second = await start(dataDir);
    expect(await query(second.url, 'SELECT note FROM notes.kept')).toEqual([{ note: 'before restart' }]);
    expect(new URL(second.adminUrl).pathname).toBe('/postgres');
  });

  it('takes over a data folder whose gateway was killed with SIGKILL', async () => {
    const dataDir = await reachableTempFolder();
    const gateway = spawnGateway(dataDir);
    const { url } = await firstJsonLine<{ url: string }>(gateway);
    await query(url, 'CREATE SCHEMA notes; CREATE TABLE notes.kept (note text)');
    await query(url, "INSERT INTO notes.kept VALUES ('before SIGKILL')");
    const stalePid = postmasterPid(dataDir);
    orphanPids.push(stalePid);

    gateway.kill('SIGKILL');
    await new Promise((resolve) => gateway.once('exit', resolve));
    expect(isAlive(stalePid)).toBe(true);

    const logLines: string[] = [];
    const node = await start(dataDir, (line) => logLines.push(line));

    expect(isAlive(stalePid)).toBe(false);
    expect(logLines.some((line) => line.includes(`pid ${stalePid}`))).toBe(true);
    expect(await query(node.url, 'SELECT note FROM notes.kept')).toEqual([{ note: 'before SIGKILL' }]);
  });

  // As root the server runs as the `postgres` user, who cannot pass a closed folder; as its owner, the server can.
  it(`keeps the data where the server can reach it when a folder above the data folder is closed (${isRoot ? 'as root: elsewhere' : 'as its owner: in place'})`, async () => {
    const closedParent = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-closed-'));
    folders.push(closedParent);
    const dataDir = path.join(closedParent, 'data');
    await fs.mkdir(dataDir);
    const places = relocationCandidates(await fs.realpath(dataDir));
    folders.push(...places.map((pgdata) => path.dirname(pgdata)));

    const logLines: string[] = [];
    const first = await start(dataDir, (line) => logLines.push(line));
    const pgdata = isRoot ? await readLocation(dataDir) : path.join(dataDir, 'pg');
    if (isRoot) expect(places).toContain(pgdata);
    else expect(existsSync(path.join(dataDir, 'pgdata-location'))).toBe(false);
    expect(existsSync(path.join(pgdata, 'PG_VERSION'))).toBe(true);
    // The operator is told once where the data went, and only when it moved.
    expect(logLines.filter((line) => line.includes(pgdata) && line.includes(closedParent))).toHaveLength(isRoot ? 1 : 0);
    await query(first.url, 'CREATE SCHEMA notes; CREATE TABLE notes.kept (note text)');
    await query(first.url, "INSERT INTO notes.kept VALUES ('before restart')");
    await first.stop();

    const second = await start(dataDir);
    expect(await query(second.url, 'SELECT note FROM notes.kept')).toEqual([{ note: 'before restart' }]);
    if (isRoot) {
      expect(await readLocation(dataDir)).toBe(pgdata);
      expect(existsSync(path.join(dataDir, 'pg'))).toBe(false);
    }
    expect((await fs.stat(closedParent)).mode & 0o777).toBe(0o700);
  });

  it('runs in a data folder of its own made by mkdtemp (mode 0700)', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-private-'));
    folders.push(dataDir);

    const node = await start(dataDir);

    expect(await query(node.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'pgdata-location'))).toBe(false);
    // As root the server's user may pass through, but not list it.
    expect((await fs.stat(dataDir)).mode & 0o777).toBe(isRoot ? 0o711 : 0o700);
  });

  it(`${isRoot ? 'as root, refuses in one line naming the closed folder when every other place is open to all' : 'as its owner, runs in place when a folder above is closed'}`, async () => {
    const closedParent = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-closed-'));
    folders.push(closedParent);
    const dataDir = path.join(closedParent, 'data');
    await fs.mkdir(dataDir);
    // Folders open to everyone, as another user could have planted them, must not hold the data.
    // Only root's server is ever sent there, and only root may make them under /var/lib.
    for (const pgdata of isRoot ? relocationCandidates(await fs.realpath(dataDir)) : []) {
      const planted = path.dirname(pgdata);
      await fs.mkdir(planted, { recursive: true });
      folders.push(planted);
      await fs.chmod(planted, 0o777);
    }

    const outcome = await start(dataDir).then(
      (node) => node,
      (error: unknown) => error,
    );

    if (!isRoot) {
      expect(outcome).not.toBeInstanceOf(Error);
      expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      return;
    }
    expect(outcome).toBeInstanceOf(EmbeddedNodeError);
    const message = (outcome as Error).message;
    expect(message).toContain(closedParent);
    expect(message).toContain('GATER_DATA_DIR');
    expect(message).not.toContain('\n');
  });
});

async function start(dataDir: string, log?: (line: string) => void): Promise<EmbeddedNode> {
  const node = await startEmbeddedNode({ dataDir, durable: false, log });
  nodes.push(node);
  return node;
}

async function readLocation(dataDir: string): Promise<string> {
  return (await fs.readFile(path.join(dataDir, 'pgdata-location'), 'utf8')).trim();
}

/** mkdtemp makes 0700 folders; as root the server's `postgres` user has to get in. */
async function reachableTempFolder(): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-embedded-'));
  folders.push(folder);
  await fs.chmod(folder, 0o755);
  return folder;
}

/** `node --import tsx` rather than the tsx CLI, which would put a second process between us and the gateway. */
function spawnGateway(dataDir: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

function firstJsonLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as T));
    child.once('exit', (code) => reject(new Error(`gateway child exited early (code ${code})`)));
  });
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function killIfAlive(pid: number): void {
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
