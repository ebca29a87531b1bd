import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { measureCpu, processCpuSeconds, processTreeCpuSeconds, type CpuReport } from './process-cpu.js';
import { sampleEvent } from './sample-event.js';

const APPEND = `mutation Append($input: AppendEventsInput!) {
  appendEvents(input: $input) {
    __typename
    ... on AppendEventsSuccess { version position }
  }
}`;

/** wrk from Debian's package: a C load generator, so the client does not take the cores the gateway and PostgreSQL share. */
export function ensureWrk(): string {
  const found = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  let wrk = found();
  if (!wrk) {
    console.log('wrk is missing: installing it with apt-get');
    try {
      execFileSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'ignore' });
    } catch {
      execFileSync('sh', ['-c', 'apt-get update && apt-get install -y wrk'], { stdio: 'ignore' });
    }
    wrk = found();
  }
  if (!wrk) throw new Error('wrk is needed to load the gateway over HTTP (apt-get install -y wrk)');
  return wrk;
}

/** Lua long-bracket string, safe for any body that has no "]==]". */
const luaString = (text: string) => `[==[${text}]==]`;

/** One body per connection's stream, sent in turn, so `connections` writers append as `connections` clients would. */
function wrkScript(bodies: string[]): string {
  return `
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = { ${bodies.map(luaString).join(',\n')} }
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end
`;
}

export interface WrkAppendResult extends WrkRun {
  /** Events the store gained: a GraphQL error is not counted as an append. */
  units: number;
}

export async function storedEvents(db: pg.Client, storeId: string): Promise<number> {
  const { rows } = await db.query<{ position: string }>(`SELECT position FROM gater_${storeId}.head`);
  return Number(rows[0]!.position);
}

export interface WrkRun {
  calls: number;
  seconds: number;
  /** Requests wrk saw fail (socket errors, non-2xx). */
  errors: number;
  cpu: CpuReport;
}

/**
 * Posts `bodies` in turn to `graphqlUrl` with wrk: `connections` kept-alive
 * connections, each waiting for its answer before it sends again. Reports the
 * CPU of the gateway, of PostgreSQL and of wrk meanwhile.
 */
export async function runWrk(options: { graphqlUrl: string; bodies: string[]; gatewayPid: number; postgresPid: number | undefined; connections: number; durationMs: number }): Promise<WrkRun> {
  const { graphqlUrl, bodies, gatewayPid, postgresPid, connections, durationMs } = options;
  const wrk = ensureWrk();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gater-wrk-'));
  const script = path.join(dir, 'bodies.lua');
  writeFileSync(script, wrkScript(bodies));
  try {
    const seconds = Math.max(1, Math.round(durationMs / 1000));
    const child = spawn(wrk, ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, graphqlUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    const cpu = measureCpu({
      gateway: () => processCpuSeconds(gatewayPid),
      postgres: () => (postgresPid ? processTreeCpuSeconds(postgresPid) : 0),
      wrk: () => processCpuSeconds(child.pid!),
    });
    let wrkCpu = 0;
    // wrk's own CPU is read just before it exits: once gone, /proc has nothing of it.
    const sampler = setInterval(() => (wrkCpu = processCpuSeconds(child.pid!) || wrkCpu), 200);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const report = cpu.stop();
    report.seconds.wrk = Number(wrkCpu.toFixed(3));
    if (code !== 0) throw new Error(`wrk exited with ${code}:\n${output}`);
    const calls = Number(/(\d+) requests in/.exec(output)?.[1] ?? 0);
    const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0) + (/Socket errors: (.*)/.exec(output)?.[1]?.match(/\d+/g) ?? []).map(Number).reduce((a, b) => a + b, 0);
    return { calls, seconds: elapsed, errors, cpu: report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Appends over HTTP with wrk, one stream per connection. Throughput is what
 * the store holds afterwards, so only appends that succeeded count.
 */
export async function wrkAppend(options: {
  graphqlUrl: string;
  databaseUrl: string;
  gatewayPid: number;
  postgresPid: number | undefined;
  connections: number;
  eventsPerAppend: number;
  durationMs: number;
  round: number;
  storeId?: string;
}): Promise<WrkAppendResult> {
  const { databaseUrl, connections, eventsPerAppend, round, storeId = 'default' } = options;
  const bodies = appendBodies(connections, eventsPerAppend, `${round}`);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const before = await storedEvents(db, storeId);
    const run = await runWrk({ ...options, bodies });
    const units = (await storedEvents(db, storeId)) - before;
    return { units, ...run };
  } finally {
    await db.end();
  }
}

/** One appendEvents body per stream, `wrk-<events per append>-<name>-<n>`, for `streams` streams. */
export function appendBodies(streams: number, eventsPerAppend: number, name: string): string[] {
  return Array.from({ length: streams }, (_, worker) =>
    JSON.stringify({
      query: APPEND,
      variables: {
        input: {
          streamId: `wrk-${eventsPerAppend}-${name}-${worker}`,
          events: Array.from({ length: eventsPerAppend }, (_, index) => sampleEvent(worker, index)),
        },
      },
    }),
  );
}

/** The postmaster's pid, so its backends' CPU can be read; undefined when the server is not on this machine or not ours to see. */
export async function postmasterPid(databaseUrl: string): Promise<number | undefined> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE backend_type = $1', ['checkpointer']);
    const checkpointer = rows[0]?.pid;
    if (!checkpointer) return undefined;
    const stat = readFileSync(`/proc/${checkpointer}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  } finally {
    await db.end();
  }
}
