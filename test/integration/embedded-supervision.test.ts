import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { pollUntil } from '../support/cluster-queries.js';
import type { EventView } from '../support/queries.js';
import { appendSuccess, newEvents, postGraphQL, readStream } from '../support/test-gateway.js';

let gateway: Gateway | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await gateway?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('a gateway whose embedded PostgreSQL dies (kill -9 of its postmaster)', () => {
  it('starts it again: /ready is 503 meanwhile and 200 after, appends work again, and no acknowledged event is lost', { timeout: 90_000 }, async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-supervised-'));
    // mkdtemp makes the folder 0700; as root the server runs as `postgres` and must enter it.
    await fs.chmod(dataDir, 0o755);
    const lines: string[] = [];
    const config = loadConfig({ GATER_DATA_DIR: dataDir, PORT: '0', GATER_PROBE_INTERVAL_MS: '200', GATER_PROBE_TIMEOUT_MS: '500' });
    gateway = await startGateway(config, { log: { info: (line) => lines.push(line), error: (line) => lines.push(line) } });
    const url = gateway.url;
    const client = { gql: <T>(query: string, variables?: Record<string, unknown>) => postGraphQL<T>(url, query, variables) };
    let readiness: { checks: Record<string, { ok: boolean; detail: string }>; reason?: string } | undefined;
    const ready = async () => {
      const response = await fetch(new URL('/ready', url));
      readiness = await response.json();
      return response.status;
    };

    const acknowledged: EventView[] = [];
    for (let index = 0; index < 3; index++) acknowledged.push(...(await appendSuccess(client, { streamId: 'kept', events: newEvents(2) })).events);
    expect(await ready()).toBe(200);
    expect(readiness!.checks.embeddedNode).toMatchObject({ ok: true, detail: expect.stringMatching(/^the embedded PostgreSQL node node-[0-9a-f]{12} is running and answers$/) });

    // A writer keeps appending through the crash; whatever it was told is stored must be there after.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const answer = await appendSuccess(client, { streamId: 'kept', events: newEvents(1) }).catch(() => undefined);
        if (answer) acknowledged.push(...answer.events);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const crashed = postmasterPid(dataDir);
    process.kill(crashed, 'SIGKILL');

    await pollUntil(async () => (await ready()) === 503, '/ready to answer 503 while the node is down', 10_000);
    // It says why: the embedded node, which is the leader, does not answer.
    expect(readiness!.checks.embeddedNode).toMatchObject({ ok: false, detail: expect.stringContaining('does not answer') });
    expect(readiness!.checks.leader!.ok).toBe(false);
    expect(readiness!.reason).toContain('the embedded PostgreSQL node');
    await pollUntil(async () => (await ready()) === 200, '/ready to answer 200 once the node is back', 60_000);
    const restarted = postmasterPid(dataDir);
    expect(restarted).not.toBe(crashed);

    const after = await appendSuccess(client, { streamId: 'kept', events: newEvents(1) });
    writing = false;
    await writer;
    acknowledged.push(...after.events);
    const stored = await readStream(client, 'kept');
    expect(stored.map((event) => event.id)).toEqual(expect.arrayContaining(acknowledged.map((event) => event.id)));
    expect(stored.map((event) => event.version)).toEqual(stored.map((_, index) => index));
    await pollUntil(async () => lines.some((line) => /PostgreSQL started again/.test(line)), () => `the log to say so: ${lines.join(' | ')}`, 5_000);

    await gateway.stop();
    gateway = undefined;
    expect(isAlive(restarted)).toBe(false);
  });
});

function postmasterPid(folder: string): number {
  return Number(readFileSync(path.join(folder, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
