/**
 * Stands in for a gateway process: starts an embedded node on the folder given as
 * the first argument, prints its URL as one JSON line, and waits to be killed.
 */
import { startEmbeddedNode } from '../../src/cluster/embedded-node.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: embedded-node-child.ts <dataDir>');

const node = await startEmbeddedNode({ dataDir, durable: false });
process.stdout.write(`${JSON.stringify({ url: node.url })}\n`);
setInterval(() => {}, 60_000);
