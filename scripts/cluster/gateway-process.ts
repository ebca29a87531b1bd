import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../../src/cluster/embedded/stop-child.js';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const READY_TIMEOUT_MS = 90_000;
/** Past the gateway's own GATER_SHUTDOWN_TIMEOUT_MS (10 s by default), with room for stopping its pools. */
const STOP_TIMEOUT_MS = 30_000;

export interface GatewayProcess {
  readonly name: string;
  readonly pid: number;
  /** http://host:port */
  readonly origin: string;
  /** Settles when the process has exited, for whatever reason. */
  readonly exited: Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within 30 s. */
  stop(): Promise<void>;
}

/**
 * Runs `src/main.ts` as `npm start` does, in a process of its own, with `env`
 * over this process's environment. Its output is passed on, each line prefixed
 * with its name. Settles once `/health` answers 200.
 */
export async function startGatewayProcess(name: string, origin: string, env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--no-allocation-site-pretenuring', '--import', 'tsx', MAIN], {
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  passOn(child, name);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = once(async () => {
    await stopChild(child, exited, 'SIGTERM', STOP_TIMEOUT_MS);
  });
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersHealth(origin))) {
    if (exitedEarly) throw new Error(`${name} exited before it served ${origin}/health (its output is above)`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not serve ${origin}/health within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await sleep(200);
  }
  return { name, pid: child.pid!, origin, exited, stop };
}

function passOn(child: ChildProcess, name: string): void {
  for (const [stream, out] of [
    [child.stdout!, process.stdout],
    [child.stderr!, process.stderr],
  ] as const) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`[${name}] ${line}\n`));
  }
}

async function answersHealth(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

function once(run: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= run());
}
