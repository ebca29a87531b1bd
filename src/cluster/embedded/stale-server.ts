import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedNodeError, isCode } from './errors.js';

const STALE_SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * A gateway killed with SIGKILL leaves its postmaster running, holding the data
 * folder. Stop that one; drop a lock file whose PID now belongs to something else.
 */
export async function stopStaleServer(pgdata: string, log: (line: string) => void): Promise<void> {
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
