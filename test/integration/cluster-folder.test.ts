import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedNode } from '../../src/cluster/embedded-node.js';
import { freshClusterFolder } from '../../scripts/cluster/fresh-folder.js';
import { pollUntil } from '../support/cluster-queries.js';
import { isAlive } from '../support/process-tree.js';

/** `npm run cluster` starts fresh in its own folder: what it deletes, and what it refuses to. */
describe('the folder of npm run cluster', () => {
  const folders: string[] = [];
  const servers: { stop(): Promise<void> }[] = [];
  const tempFolder = async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-cluster-folder-'));
    await fs.chmod(folder, 0o755);
    folders.push(folder);
    return folder;
  };

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    await Promise.all(folders.splice(0).map((folder) => fs.rm(folder, { recursive: true, force: true })));
  });

  it('refuses a folder that is not empty and that it did not make, and leaves its files alone', async () => {
    const folder = await tempFolder();
    await fs.writeFile(path.join(folder, 'events.json'), '[]');
    await expect(freshClusterFolder(folder, ['primary', 'replica'], () => {})).rejects.toThrow(/not empty and was not made by npm run cluster/);
    expect(await fs.readFile(path.join(folder, 'events.json'), 'utf8')).toBe('[]');
  });

  it('deletes the data of its last run, after stopping a server that run left behind (killed without cleaning up)', async () => {
    const folder = path.join(await tempFolder(), 'cluster');
    await freshClusterFolder(folder, ['primary', 'replica'], () => {});
    const left = await startEmbeddedNode({ dataDir: path.join(folder, 'primary'), durable: false });
    servers.push(left);
    const pid = Number((await fs.readFile(path.join(left.pgdata, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(isAlive(pid)).toBe(true);

    await freshClusterFolder(folder, ['primary', 'replica'], () => {});
    await pollUntil(async () => !isAlive(pid), 'the left-over server to stop');
    expect(existsSync(path.join(folder, 'primary'))).toBe(false);
    expect(await fs.readdir(folder)).toEqual(['.gater-cluster']);
  });
});
