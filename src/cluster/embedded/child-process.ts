import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { spawnIdentity, type Identity } from './postgres-user.js';

/** Spawn options for a PostgreSQL program run as `identity`, with its output piped. */
export function childOptions(binary: string, identity: Identity) {
  return {
    ...spawnIdentity(identity),
    // The caller's working folder may be closed to the postgres user.
    cwd: path.dirname(binary),
    env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
}

export function collectLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
  }
}

/** The last few output lines on one line, for an error message. */
export function joinTail(lines: string[]): string {
  const recent = lines.slice(-8).map((line) => line.trim()).filter(Boolean);
  return recent.length ? recent.join(' | ') : 'no output';
}
