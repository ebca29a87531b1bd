import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { removeNodeData } from '../../src/cluster/embedded-node.js';

/** Marks a folder this command made, so that it deletes no folder of anyone else's. */
const MARKER = '.gater-cluster';

/**
 * Empties `folder` for a new cluster: the nodes' data of the last run is deleted
 * (a server left running on it stopped first). A folder that is not empty and
 * was not made by this command is left alone, with an error.
 */
export async function freshClusterFolder(folder: string, nodeNames: string[], log: (line: string) => void): Promise<void> {
  if (existsSync(folder)) {
    const entries = await fs.readdir(folder);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`${folder} is not empty and was not made by npm run cluster: choose another GATER_CLUSTER_DIR, or delete it`);
    }
    for (const name of nodeNames) await removeNodeData(path.join(folder, name), log);
    await fs.rm(folder, { recursive: true, force: true });
  }
  // Open to read: as root, the nodes run as the `postgres` user, which must enter it.
  await fs.mkdir(folder, { recursive: true, mode: 0o755 });
  await fs.chmod(folder, 0o755);
  await fs.writeFile(path.join(folder, MARKER), 'made by npm run cluster; deleted and made again on its next start\n');
}
