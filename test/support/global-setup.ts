import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedNode } from '../../src/cluster/embedded-node.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

/**
 * One PostgreSQL server for the whole run: the one named by GATER_TEST_DATABASE_URL,
 * else an embedded node in a throwaway folder. Tests make their own databases on it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const externalUrl = process.env.GATER_TEST_DATABASE_URL;
  if (externalUrl) {
    project.provide('pgAdminUrl', withDatabase(externalUrl, 'postgres'));
    return async () => {};
  }
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-test-pg-'));
  // mkdtemp makes the folder 0700; as root the server runs as `postgres` and must enter it.
  await fs.chmod(dataDir, 0o755);
  try {
    const node = await startEmbeddedNode({ dataDir, durable: false });
    project.provide('pgAdminUrl', node.adminUrl);
    return async () => {
      await node.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    };
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
