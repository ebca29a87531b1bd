import type { ChildProcess } from 'node:child_process';

/**
 * Sends `signal` to `child` if it is still running; one that has not exited
 * within `timeoutMs` gets SIGKILL. Settles once `exited` (the caller's promise
 * of the child's exit) has.
 */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  if (!(await settlesWithin(exited, timeoutMs))) {
    child.kill('SIGKILL');
    await exited;
  }
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
