import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedNode } from '../src/cluster/embedded-node.js';
import { profileGateways, runCompiledGateways, startGatewayProcess, stopRunningGateways, traceGateways, type GatewayProcess } from './gateway-process.js';
import { httpAppend } from './http-append.js';
import { rawInsert } from './raw-insert.js';
import { fanOut50kScenario, fanOutScenarios, fanOutTargets, measureIdleMemory, runFanOut, type FanOutResult, type FanOutScenario } from './fan-out.js';
import { sharedStreamsSuite } from './shared-streams.js';
import { PERSISTENT_SCENARIOS, persistentScenario, persistentSummary, runPersistent, type PersistentResult } from './persistent.js';
import { peersSuite } from './peers-suite.js';
import { catchUpSuite } from './catch-up.js';
import { lifecycleAppendSuite } from './lifecycle-appends.js';
import { refusalsSuite } from './refusals.js';
import { conditionWalksSuite } from './condition-walks.js';
import { targetRows, type SuiteResults } from './targets.js';
import { postmasterPid } from './wrk-append.js';
import { serverSettings } from './bench-database.js';

/**
 * npm run bench [-- --duration 10000 --workers 32 --database-url postgres://…] [--tracing (gateways send spans over OTLP to a sink that drops them)]
 *   [--sources (gateways run the sources under tsx, as npm start does, instead of the compiled build)]
 *   [--cpu-prof (each gateway writes a CPU profile to bench/results/profiles/ when it stops)]
 * Appends over HTTP against raw INSERTs, side by side on one PostgreSQL; live fan-out; persistent-subscription acks.
 */
const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10000' },
    workers: { type: 'string', default: '32' },
    'database-url': { type: 'string' },
    suite: { type: 'string', default: 'peers,lifecycle,fanout,persistent,catchup,fanout50k,gateways,refusals,conditions' },
    tracing: { type: 'boolean', default: false },
    sources: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    'catch-up-events': { type: 'string', default: '1000000' },
  },
});
if (options.tracing) traceGateways();
if (options['cpu-prof']) profileGateways(path.join(import.meta.dirname, 'results', 'profiles'));
if (!options.sources) runCompiledGateways();
console.log(`gateways run ${options.sources ? 'the sources under tsx (npm start)' : 'the compiled build, dist/main.js (as the Docker image does)'}`);
const suites = new Set(options.suite.split(','));
const durationMs = Number(options.duration);
const workers = Number(options.workers);

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return `${url}|${rows[0]!.server_version}`;
}

/**
 * Drops a suite's database and flushes what it wrote, so the next suite does
 * not measure PostgreSQL still writing out a million rows of this one.
 */
async function dropAndCheckpoint(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    // Needs a superuser (or pg_checkpoint); on a server where the bench has neither, the suites just run closer together.
    await admin.query('CHECKPOINT').catch((error: Error) => console.warn(`no CHECKPOINT between suites: ${error.message}`));
  } finally {
    await admin.end();
  }
}

interface Row {
  scenario: string;
  eventsPerCall: number;
  calls: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

function row(scenario: string, eventsPerCall: number, result: { units: number; calls: number; seconds: number }): Row {
  return {
    scenario,
    eventsPerCall,
    calls: result.calls,
    events: result.units,
    seconds: Number(result.seconds.toFixed(2)),
    eventsPerSecond: Math.round(result.units / result.seconds),
  };
}

async function appendSuite(adminUrl: string, embedded: boolean) {
  const [databaseUrl, serverVersion] = (await createDatabase(adminUrl, 'gater_bench')).split('|') as [string, string];
  const gateway = await startGatewayProcess(databaseUrl);
  const rows: Row[] = [];
  try {
    for (const eventsPerCall of [1, 100]) {
      rows.push(row('raw INSERT (pg)', eventsPerCall, await rawInsert(databaseUrl, workers, eventsPerCall, durationMs)));
      rows.push(row('appendEvents (HTTP)', eventsPerCall, await explained(gateway, () => httpAppend(gateway.url, workers, eventsPerCall, durationMs))));
    }
  } finally {
    await gateway.stop();
    await dropAndCheckpoint(adminUrl, 'gater_bench');
  }
  const ratios = [1, 100].map((size) => {
    const raw = rows.find((r) => r.eventsPerCall === size && r.scenario.startsWith('raw'))!;
    const http = rows.find((r) => r.eventsPerCall === size && r.scenario.startsWith('append'))!;
    return { eventsPerCall: size, ratio: Number((http.eventsPerSecond / raw.eventsPerSecond).toFixed(2)) };
  });
  console.log(`\nappend throughput, ${workers} concurrent clients, ${durationMs / 1000}s each, PostgreSQL ${serverVersion}${embedded ? ' (embedded)' : ''}`);
  console.table(rows);
  for (const { eventsPerCall, ratio } of ratios) {
    console.log(`${eventsPerCall} event(s) per call: appendEvents over HTTP = ${ratio}x raw INSERT`);
  }
  return { postgres: { version: serverVersion, embedded }, workers, rows, ratios };
}

/** A failed scenario reports what its gateway printed, which is where the cause usually is. */
async function explained<T>(gateway: GatewayProcess, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- the gateway printed:\n${gateway.output().slice(-8000)}`, { cause: error });
  }
}

async function fanOutSuite(adminUrl: string, scenarios: FanOutScenario[]) {
  const [databaseUrl] = (await createDatabase(adminUrl, 'gater_bench_fanout')).split('|') as [string, string];
  const results: FanOutResult[] = [];
  // The bench is one client of them all: 50,000 subscriptions from one address.
  const env = { GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION: '1000', GATER_MAX_SUBSCRIPTIONS_PER_CLIENT: '100000' };
  for (const scenario of scenarios) {
    // Memory on one gateway (with its inspector, to collect garbage), timings on a fresh one without.
    const inspected = await startGatewayProcess(databaseUrl, { env, inspect: true });
    const memory = await explained(inspected, () => measureIdleMemory(inspected, scenario)).finally(() => inspected.stop());
    const gateway = await startGatewayProcess(databaseUrl, { env });
    try {
      results.push({ ...(await explained(gateway, () => runFanOut(gateway.url, scenario))), ...memory });
    } finally {
      await gateway.stop();
    }
  }
  await dropAndCheckpoint(adminUrl, 'gater_bench_fanout');
  console.log(`\nlive fan-out over graphql-ws, ${durationMs / 1000}s of appends each`);
  console.table(results);
  for (const line of fanOutTargets(results)) console.log(line);
  return results;
}

/** Persistent-subscription acks, on a fresh gateway and database for each way of acking. */
async function persistentSuite(adminUrl: string, appendRows: readonly Row[]) {
  const results: PersistentResult[] = [];
  for (const [acks, client] of PERSISTENT_SCENARIOS) {
    const [databaseUrl] = (await createDatabase(adminUrl, 'gater_bench_persistent')).split('|') as [string, string];
    const gateway = await startGatewayProcess(databaseUrl);
    try {
      const processes = { gatewayPid: gateway.pid, postgresPid: await postmasterPid(databaseUrl) };
      results.push(await explained(gateway, () => runPersistent(gateway.url, persistentScenario(durationMs, acks, client), processes)));
    } finally {
      await gateway.stop();
      await dropAndCheckpoint(adminUrl, 'gater_bench_persistent');
    }
  }
  console.log(`\npersistent subscription over graphql-ws, ${durationMs / 1000}s of acks`);
  console.table(results);
  console.log(persistentSummary(results, appendRows));
  return results;
}

let interrupted = false;

/**
 * An interrupted bench (Ctrl-C, kill) stops its gateways and its PostgreSQL
 * first: left running, they would load the machine under the next run.
 */
function stopEverythingOnSignal(stop: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the gateways and PostgreSQL of this run`);
      // The scenario under way fails as its servers go; that is expected now, and must not end the process before they are stopped.
      process.on('uncaughtException', () => undefined);
      process.on('unhandledRejection', () => undefined);
      interrupted = true;
      stop()
        .catch((error: Error) => console.error(`while stopping: ${error.message}`))
        .finally(() => process.exit(130));
    });
  }
}

function printTargets(rows: ReturnType<typeof targetRows>): void {
  if (rows.length === 0) return;
  console.log('\ntargets of this run: the figure, what it is held to (a peer measured in this run, or a bound), the ratio');
  console.table(rows.map((row) => ({ ...row, met: row.met === undefined ? '(no bound)' : row.met ? 'met' : 'not met' })));
}

async function main(): Promise<void> {
  let dataDir: string | undefined;
  let stopNode = async () => undefined as void;
  let adminUrl = options['database-url'];
  if (!adminUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'gater-bench-'));
    // mkdtemp makes a private folder; PostgreSQL may run as another user and must enter it.
    chmodSync(dataDir, 0o755);
    const node = await startEmbeddedNode({ dataDir });
    adminUrl = node.adminUrl;
    stopNode = node.stop;
  }
  stopEverythingOnSignal(async () => {
    await stopRunningGateways();
    await stopNode();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    const settings = await serverSettings(adminUrl);
    const report: Record<string, unknown> = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      durationMs,
      postgres: settings,
    };
    console.log(
      `PostgreSQL ${settings.server_version}${options['database-url'] ? '' : ' (embedded)'}: autovacuum ${settings.autovacuum}, fsync ${settings.fsync}, synchronous_commit ${settings.synchronous_commit}, shared_buffers ${settings.shared_buffers}`,
    );
    if (suites.has('peers')) report.peers = await peersSuite(adminUrl, { embedded: !options['database-url'], workers, durationMs, rounds: Number(options.rounds) });
    if (suites.has('catchup')) report.catchUp = await catchUpSuite(adminUrl, { events: Number(options['catch-up-events']), rounds: Number(options.rounds), concurrentReaders: workers, durationMs });
    if (suites.has('append')) report.append = await appendSuite(adminUrl, !options['database-url']);
    if (suites.has('lifecycle')) report.lifecycle = await lifecycleAppendSuite(adminUrl, workers, durationMs);
    if (suites.has('fanout')) report.fanOut = await fanOutSuite(adminUrl, fanOutScenarios(durationMs));
    if (suites.has('fanout50k')) report.fanOut50k = await fanOutSuite(adminUrl, [fanOut50kScenario(durationMs)]);
    if (suites.has('gateways')) report.sharedStreams = await sharedStreamsSuite(adminUrl, { workers, durationMs, rounds: Number(options.rounds) });
    if (suites.has('refusals')) report.refusals = await refusalsSuite(adminUrl, { workers, durationMs, rounds: Number(options.rounds) });
    if (suites.has('conditions')) report.conditionWalks = await conditionWalksSuite(adminUrl, { storedEvents: 300_000, durationMs });
    if (suites.has('persistent')) {
      report.persistent = await persistentSuite(adminUrl, ((report.append ?? report.peers) as { rows: Row[] } | undefined)?.rows ?? []);
    }
    report.targets = targetRows(report as SuiteResults);
    printTargets(report.targets as ReturnType<typeof targetRows>);
    const resultsDir = path.join(import.meta.dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `bench-${String(report.when).replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${file}`);
  } finally {
    await stopNode();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  if (interrupted) return;
  console.error(error);
  process.exit(1);
});
