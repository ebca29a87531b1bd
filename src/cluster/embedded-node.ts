import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { prepareBinaries } from './embedded/binaries.js';
import { ensureAppRole } from './embedded/app-role.js';
import { connectionUrl, readOrCreateAppCredentials, readOrCreateCredentials } from './embedded/credentials.js';
import { prepareDataDir } from './embedded/data-dir.js';
import { DATABASE, ensureDatabase, MAINTENANCE_DATABASE } from './embedded/database.js';
import { initialiseIfNeeded } from './embedded/initdb.js';
import { recordedPgdata } from './embedded/pgdata-location.js';
import { postgresIdentity } from './embedded/postgres-user.js';
import { launchServer, type LaunchInput } from './embedded/postmaster.js';
import { stopStaleServer } from './embedded/stale-server.js';
import { supervise } from './embedded/supervisor.js';
import { cloneDataDir, standbySettings, writeStandbySignal, type StandbySource } from './embedded/standby.js';

export { EmbeddedNodeError } from './embedded/errors.js';
export type { StandbySource } from './embedded/standby.js';

export interface EmbeddedNodeOptions {
  /**
   * Folder holding the node's data (PGDATA goes in `${dataDir}/pg`). Created when missing; kept across restarts.
   * As root, when the `postgres` user that runs the server cannot reach it, PGDATA goes under /var/lib/gater
   * (else the temp folder) instead, and `${dataDir}/pgdata-location` names the place.
   */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** false turns off fsync/synchronous_commit/full_page_writes for throwaway test servers. Default true. */
  durable?: boolean;
  /** Receives the server's log lines. Default: drop them. */
  log?: (line: string) => void;
  /**
   * Extra server settings, passed as `-c name=value` after (and so over) the gateway's own,
   * such as `synchronous_standby_names` on a primary. Default none.
   */
  settings?: Record<string, string>;
  /**
   * Start as a hot standby streaming from this primary. The data folder must hold a copy of
   * the primary's (see `cloneNodeData`). Default: start as a primary.
   */
  standby?: StandbySource;
  /**
   * Start the server again, on the same port, whenever it exits without being asked to (a crash,
   * a kill -9), pausing longer after each restart that fails. Default false.
   */
  restartOnCrash?: boolean;
}

export interface EmbeddedNode {
  /**
   * postgres://… URL of the database `gater` on this node (created on first start), as the role `gater`:
   * it owns the stores' schemas, and is no superuser.
   */
  url: string;
  /** Superuser URL of the maintenance database `postgres`, for administration (tests that create databases, standbys). */
  adminUrl: string;
  port: number;
  /** The PostgreSQL data folder the server runs on. */
  pgdata: string;
  stop(): Promise<void>;
  /** Stops the server at once, as a crash would: no checkpoint, crash recovery on the next start. */
  kill(): Promise<void>;
}

export async function startEmbeddedNode(options: EmbeddedNodeOptions): Promise<EmbeddedNode> {
  const log = options.log ?? (() => {});
  const durable = options.durable ?? true;
  const dataDir = path.resolve(options.dataDir);
  const identity = postgresIdentity();
  const binaries = await prepareBinaries(identity);
  const pgdata = await prepareDataDir(dataDir, identity, log);
  const credentials = await readOrCreateCredentials(dataDir, pgdata);
  const app = await readOrCreateAppCredentials(dataDir);
  await initialiseIfNeeded({ pgdata, binaries, identity, credentials, durable, log });
  await stopStaleServer(pgdata, log);
  if (options.standby) await writeStandbySignal(pgdata, identity);
  const settings = { ...options.settings, ...(options.standby ? standbySettings(options.standby) : {}) };
  const launch: LaunchInput = { pgdata, binaries, identity, credentials, port: options.port ?? 0, durable, settings, log };
  const server = await launchServer(launch);
  const adminUrl = connectionUrl(credentials, server.port, MAINTENANCE_DATABASE);
  try {
    await ensureDatabase(adminUrl, DATABASE);
    await ensureAppRole({ adminUrl, databaseAdminUrl: connectionUrl(credentials, server.port, DATABASE), database: DATABASE, app, log });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const running = options.restartOnCrash ? supervise(server, { restart: () => relaunch({ ...launch, port: server.port }), log }) : server;
  return {
    url: connectionUrl(app, server.port, DATABASE),
    adminUrl,
    port: server.port,
    pgdata,
    stop: () => running.stop(),
    kill: () => running.kill(),
  };
}

/**
 * Starts a crashed server again. PostgreSQL itself refuses to start while
 * processes of the dead one still use its shared memory, so its lock file is
 * left for it to judge; only one naming a process that is no server of this
 * data folder (its PID taken by another) is cleared first.
 */
async function relaunch(input: LaunchInput) {
  try {
    return await launchServer(input);
  } catch (error) {
    if (/lock file .* already exists/i.test((error as Error).message)) await stopStaleServer(input.pgdata, input.log);
    throw error;
  }
}

/**
 * Copies the data folder of a stopped embedded node into an empty one, so that a node
 * started there with `standby` streams from the original.
 */
export async function cloneNodeData(fromDataDir: string, toDataDir: string, log: (line: string) => void = () => {}): Promise<void> {
  await cloneDataDir(fromDataDir, toDataDir, postgresIdentity(), log);
}

/**
 * Deletes a node's data folder, and its PGDATA wherever it was put (see `dataDir`),
 * after stopping a server an earlier process left running on it.
 */
export async function removeNodeData(dataDir: string, log: (line: string) => void = () => {}): Promise<void> {
  const folder = path.resolve(dataDir);
  if (!existsSync(folder)) return;
  const relocated = await recordedPgdata(folder, await fs.realpath(folder));
  for (const pgdata of [path.join(folder, 'pg'), ...(relocated ? [relocated] : [])]) {
    await stopStaleServer(pgdata, log);
    await fs.rm(pgdata, { recursive: true, force: true });
  }
  await fs.rm(folder, { recursive: true, force: true });
}
