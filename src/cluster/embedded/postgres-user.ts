import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedNodeError } from './errors.js';

/** The system account that runs the server when the gateway runs as root. */
export const OS_USER = 'postgres';

/** The OS account PostgreSQL runs as; undefined means the current user. */
export type Identity = { uid: number; gid: number } | undefined;

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** PostgreSQL refuses to run as root, so root hands the server to the `postgres` system user. */
export function postgresIdentity(): Identity {
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

export function spawnIdentity(identity: Identity): { uid?: number; gid?: number } {
  return identity ? { uid: identity.uid, gid: identity.gid } : {};
}

/** True when `identity` passes `test <flags> target` (search permission on every ancestor included). */
export function canAccess(identity: Identity, target: string, flags: string[]): boolean {
  const checks = flags.map((flag) => `test ${flag} "$1"`).join(' && ');
  const result = spawnSync('sh', ['-c', checks, 'sh', target], { ...spawnIdentity(identity), cwd: '/', stdio: 'ignore' });
  return result.status === 0;
}

/** The outermost folder on the way to `target` that `identity` cannot enter, if any. */
export function firstClosedFolder(identity: Identity, target: string): string | undefined {
  const parts = target.split(path.sep).filter(Boolean);
  for (let depth = 1; depth <= parts.length; depth += 1) {
    const folder = path.sep + parts.slice(0, depth).join(path.sep);
    if (!canAccess(identity, folder, ['-x'])) return folder;
  }
  return undefined;
}

export function describeMode(folder: string): string {
  try {
    const stats = statSync(folder);
    return `mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${stats.uid}`;
  } catch {
    return 'not readable';
  }
}
