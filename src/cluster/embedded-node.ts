import path from 'node:path';
import { prepareBinaries } from './embedded/binaries.js';
import { connectionUrl, readOrCreateCredentials } from './embedded/credentials.js';
import { prepareDataDir } from './embedded/data-dir.js';
import { DATABASE, ensureDatabase, MAINTENANCE_DATABASE } from './embedded/database.js';
import { initialiseIfNeeded } from './embedded/initdb.js';
import { postgresIdentity } from './embedded/postgres-user.js';
import { launchServer } from './embedded/postmaster.js';
import { stopStaleServer } from './embedded/stale-server.js';

export { EmbeddedNodeError } from './embedded/errors.js';

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
}

export interface EmbeddedNode {
  /** postgres://… URL of the database `gater` on this node (created on first start). */
  url: string;
  /** URL of the maintenance database `postgres` (for tests that create databases). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedNode(options: EmbeddedNodeOptions): Promise<EmbeddedNode> {
  const log = options.log ?? (() => {});
  const durable = options.durable ?? true;
  const dataDir = path.resolve(options.dataDir);
  const identity = postgresIdentity();
  const binaries = await prepareBinaries(identity);
  const pgdata = await prepareDataDir(dataDir, identity, log);
  const credentials = await readOrCreateCredentials(dataDir, pgdata);
  await initialiseIfNeeded({ pgdata, binaries, identity, credentials, durable, log });
  await stopStaleServer(pgdata, log);
  const server = await launchServer({ pgdata, binaries, identity, credentials, port: options.port ?? 0, durable, log });
  try {
    await ensureDatabase(connectionUrl(credentials, server.port, MAINTENANCE_DATABASE), DATABASE);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: connectionUrl(credentials, server.port, DATABASE),
    adminUrl: connectionUrl(credentials, server.port, MAINTENANCE_DATABASE),
    port: server.port,
    stop: server.stop,
  };
}
