import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Binaries } from './binaries.js';
import { childOptions, collectLines, joinTail } from './child-process.js';
import { connectionUrl, type Credentials } from './credentials.js';
import { MAINTENANCE_DATABASE } from './database.js';
import { EmbeddedNodeError } from './errors.js';
import { freeTcpPort } from './free-tcp-port.js';
import type { Identity } from './postgres-user.js';
import { stopChild } from './stop-child.js';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_TAIL_LINES = 20;
const PORT_ATTEMPTS = 3;

export interface LaunchInput {
  pgdata: string;
  binaries: Binaries;
  identity: Identity;
  credentials: Credentials;
  /** 0 picks a free one. */
  port: number;
  durable: boolean;
  /** Extra `-c name=value` settings, applied after (and so over) the defaults. */
  settings?: Record<string, string>;
  log: (line: string) => void;
}

export interface RunningServer {
  port: number;
  /** Settles, with how it ended, if the server exits without being asked to (a crash, a kill -9); never otherwise. */
  crashed: Promise<string>;
  stop(): Promise<void>;
  /** Immediate shutdown, as after a crash: no checkpoint, recovery on the next start. */
  kill(): Promise<void>;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A port picked by the OS can be taken again before PostgreSQL binds it, so a bind failure on a picked port is retried. */
export async function launchServer(input: LaunchInput): Promise<RunningServer> {
  for (let attempt = 1; ; attempt += 1) {
    const port = input.port || (await freeTcpPort());
    try {
      return await startPostmaster(input, port);
    } catch (error) {
      const portTaken = error instanceof EmbeddedNodeError && /could not bind|address already in use/i.test(error.message);
      if (!portTaken || input.port || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startPostmaster(input: LaunchInput, port: number): Promise<RunningServer> {
  const { pgdata, binaries, identity, credentials, durable, settings, log } = input;
  const args = postmasterArgs(pgdata, port, durable, settings);
  // A process group of its own: a Ctrl-C in a terminal (SIGINT to the whole foreground group) reaches
  // the gateway alone, which answers what it took on before it stops the server.
  const child = spawn(binaries.postgres, args, { ...childOptions(binaries.postgres, identity), detached: true });
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
    return shutdown(child, exited, 'SIGINT');
  });
  const kill = once(() => {
    stopRequested = true;
    return shutdown(child, exited, 'SIGQUIT');
  });
  try {
    await waitUntilReady({ url: connectionUrl(credentials, port, MAINTENANCE_DATABASE), pgdata, port, exited, tail });
  } catch (error) {
    await stop();
    throw error;
  }
  const crashed = new Promise<string>((resolve) => {
    void exited.then((exit) => {
      if (stopRequested) return;
      log(`embedded node: PostgreSQL exited unexpectedly (${describeExit(exit)})`);
      resolve(describeExit(exit));
    });
  });
  return { port, crashed, stop, kill };
}

function postmasterArgs(pgdata: string, port: number, durable: boolean, extra: Record<string, string> = {}): string[] {
  const settings = [
    'listen_addresses=127.0.0.1',
    // No unix socket: the default folder (/var/run/postgresql) is often missing or closed.
    'unix_socket_directories=',
    'max_connections=200',
    ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
    ...Object.entries(extra).map(([name, value]) => `${name}=${value}`),
  ];
  return ['-D', pgdata, '-p', String(port), ...settings.flatMap((setting) => ['-c', setting])];
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

/**
 * SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
 * SIGQUIT is its immediate shutdown: every process exits at once, as in a crash.
 */
async function shutdown(child: ChildProcess, exited: Promise<Exit>, signal: 'SIGINT' | 'SIGQUIT'): Promise<void> {
  await stopChild(child, exited, signal, STOP_TIMEOUT_MS);
  // Orphaned backends could keep the pipes open, which would hold the event loop.
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
}

function describeExit(exit: Exit): string {
  if (exit.error) return exit.error.message;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

function once<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}
