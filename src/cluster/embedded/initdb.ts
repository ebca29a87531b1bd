import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Binaries } from './binaries.js';
import { childOptions, collectLines, joinTail } from './child-process.js';
import type { Credentials } from './credentials.js';
import { handOver } from './data-dir.js';
import { EmbeddedNodeError } from './errors.js';
import type { Identity } from './postgres-user.js';

export interface InitialiseInput {
  pgdata: string;
  binaries: Binaries;
  identity: Identity;
  credentials: Credentials;
  durable: boolean;
  log: (line: string) => void;
}

/** Runs initdb unless `pgdata` already holds a cluster; a half-made one is wiped first. */
export async function initialiseIfNeeded(input: InitialiseInput): Promise<void> {
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

async function runInitdb({ pgdata, binaries, identity, credentials, durable }: InitialiseInput): Promise<void> {
  // Beside PGDATA, because that is a folder the postgres user is known to reach.
  const pwfile = path.join(path.dirname(pgdata), `.pwfile-${randomBytes(6).toString('hex')}`);
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
