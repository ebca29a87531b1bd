import pg from 'pg';
import type { GatewayProcess } from './gateway-process.js';
import { bareGroupCommit } from './bare-group-commit.js';
import { openCommitter } from './committer-in-process.js';
import { emmettAppend, openEmmett } from './emmett-append.js';
import { cpuMicrosPer, measureCpu, ownCpuSeconds, processTreeCpuSeconds, type CpuReport } from './process-cpu.js';
import { rawInsert } from './raw-insert.js';
import { appendBodies, postmasterPid, runWrk, wrkAppend } from './wrk-append.js';
import { median } from './median.js';

/** The scenarios measured side by side; the gateway over HTTP is the one compared with each of the others. */
const GATEWAY = 'gateway over HTTP (wrk)';
export const EMMETT = 'Emmett PostgreSQL, in-process';
export const RAW = 'raw INSERT, in-process';
export const BARE = 'bare group committer, in-process';
/** The gateway's own store and committer behind a bare HTTP server, no GraphQL: what is left of an append without it. */
export const FLOOR = 'HTTP + the gateway\'s committer, no GraphQL (wrk)';
/** The gateway's store and committer called in-process: what the commit design allows with no HTTP and no GraphQL. */
export const COMMITTER = 'the gateway\'s committer, in-process (no HTTP)';
/** Under the floor: node:http parsing each body and answering a fixed result, nothing stored; what HTTP alone costs. */
export const HTTP_ONLY = 'HTTP alone, nothing stored (wrk)';
/** The store the floor writes, beside the gateway's `default`. */
const FLOOR_STORE = 'floor';
/** The store the in-process committer writes. */
const COMMITTER_STORE = 'committer';
/**
 * How long each scenario runs, unmeasured, before the rounds. A gateway under
 * 1-event appends keeps compiling for about 10 s (`--trace-opt`: some 740
 * functions optimised in its first 3 s of load, 300 more in the next 7 s),
 * and each run of a shorter warm-up measured part of that.
 */
const WARM_UP_MS = 10_000;

export interface PeerRound {
  scenario: string;
  eventsPerAppend: number;
  round: number;
  events: number;
  appends: number;
  seconds: number;
  eventsPerSecond: number;
  cpu: CpuReport;
}

export interface PeerSummary {
  scenario: string;
  eventsPerAppend: number;
  /** Median over the rounds. */
  eventsPerSecond: number;
  /** Server process CPU per append, median over the rounds (µs); for in-process peers, the bench process's (client and store code). */
  cpuMicrosPerAppend: number;
  postgresMicrosPerAppend: number;
  /** Share of the machine left idle, median over the rounds. */
  idle: number;
  /** The gateway's rate over this one's, both medians of the same run. */
  gatewayRatio: number;
}

/** Runs an in-process peer, measuring this process (its writers and the store code) and PostgreSQL. */
async function inProcess(postgresPid: number | undefined, run: () => Promise<{ units: number; calls: number; seconds: number }>) {
  const cpu = measureCpu({ bench: ownCpuSeconds, postgres: () => (postgresPid ? processTreeCpuSeconds(postgresPid) : 0) });
  const result = await run();
  return { ...result, cpu: cpu.stop() };
}

/**
 * The gateway over HTTP against its floor (the same committer with no
 * GraphQL), HTTP alone (nothing stored), Emmett's PostgreSQL event store, raw INSERTs
 * and a bare group committer, on the same PostgreSQL, in alternating rounds
 * (the order turns each round, so a slow spell of a shared machine does not
 * fall on one scenario), and the medians compared.
 */
export async function peersSuite(options: {
  databaseUrl: string;
  gateway: GatewayProcess;
  floor: GatewayProcess;
  httpOnly: GatewayProcess;
  workers: number;
  durationMs: number;
  rounds: number;
  sizes?: number[];
}): Promise<{ rounds: PeerRound[]; summary: PeerSummary[] }> {
  const { databaseUrl, gateway, floor, httpOnly, workers, durationMs, rounds } = options;
  const postgresPid = await postmasterPid(databaseUrl);
  const emmett = await openEmmett(databaseUrl);
  const committer = await openCommitter(databaseUrl, COMMITTER_STORE);
  const results: PeerRound[] = [];
  try {
    for (const eventsPerAppend of options.sizes ?? [1, 100]) {
      const scenarios: [string, (round: number, ms: number) => Promise<{ units: number; calls: number; seconds: number; cpu: CpuReport }>][] = [
        [
          GATEWAY,
          (round, ms) =>
            wrkAppend({ graphqlUrl: gateway.url, databaseUrl, gatewayPid: gateway.pid, postgresPid, connections: workers, eventsPerAppend, durationMs: ms, round }),
        ],
        [
          FLOOR,
          (round, ms) =>
            wrkAppend({ graphqlUrl: floor.url, databaseUrl, gatewayPid: floor.pid, postgresPid, connections: workers, eventsPerAppend, durationMs: ms, round, storeId: FLOOR_STORE }),
        ],
        [
          HTTP_ONLY,
          async (round, ms) => {
            const bodies = appendBodies(workers, eventsPerAppend, `${round}`);
            const run = await runWrk({ graphqlUrl: httpOnly.url, bodies, gatewayPid: httpOnly.pid, postgresPid, connections: workers, durationMs: ms });
            return { ...run, units: run.calls * eventsPerAppend };
          },
        ],
        [COMMITTER, (round, ms) => inProcess(postgresPid, () => committer.append(workers, eventsPerAppend, ms, round))],
        [EMMETT, (round, ms) => inProcess(postgresPid, () => emmettAppend(emmett, workers, eventsPerAppend, ms, round))],
        [RAW, (_, ms) => inProcess(postgresPid, () => rawInsert(databaseUrl, workers, eventsPerAppend, ms))],
        [BARE, (_, ms) => inProcess(postgresPid, () => bareGroupCommit(databaseUrl, workers, eventsPerAppend, ms))],
      ];
      // Each runs once unmeasured first, as benchmarks warm up: the first seconds of a process measure its compiler, not its steady state.
      for (const [, run] of scenarios) {
        await run(rounds, WARM_UP_MS);
        await checkpoint(databaseUrl);
      }
      for (let round = 0; round < rounds; round++) {
        for (let turn = 0; turn < scenarios.length; turn++) {
          const [scenario, run] = scenarios[(turn + round) % scenarios.length]!;
          const result = await run(round, durationMs);
          await checkpoint(databaseUrl);
          results.push({
            scenario,
            eventsPerAppend,
            round,
            events: result.units,
            appends: result.calls,
            seconds: Number(result.seconds.toFixed(2)),
            eventsPerSecond: Math.round(result.units / result.seconds),
            cpu: result.cpu,
          });
          console.log(`  ${eventsPerAppend} ev/append, round ${round + 1}: ${scenario}: ${Math.round(result.units / result.seconds)} ev/s, cpu ${JSON.stringify(result.cpu)}`);
        }
      }
    }
  } finally {
    await emmett.close();
    await committer.close();
  }
  return { rounds: results, summary: summarise(results) };
}

/** Between scenarios, so one does not pay for what the previous one left PostgreSQL to write out. */
async function checkpoint(databaseUrl: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query('CHECKPOINT').catch(() => undefined);
  await db.end();
}

function summarise(results: PeerRound[]): PeerSummary[] {
  const summary: PeerSummary[] = [];
  for (const eventsPerAppend of new Set(results.map((r) => r.eventsPerAppend))) {
    const of = (scenario: string) => results.filter((r) => r.scenario === scenario && r.eventsPerAppend === eventsPerAppend);
    const gatewayRate = median(of(GATEWAY).map((r) => r.eventsPerSecond));
    for (const scenario of [GATEWAY, FLOOR, HTTP_ONLY, COMMITTER, EMMETT, RAW, BARE]) {
      const rounds = of(scenario);
      if (rounds.length === 0) continue;
      const rate = median(rounds.map((r) => r.eventsPerSecond));
      // The server's process over HTTP; the bench's own for the in-process peers.
      const own = (r: PeerRound) => (r.cpu.seconds.gateway !== undefined ? 'gateway' : 'bench');
      summary.push({
        scenario,
        eventsPerAppend,
        eventsPerSecond: Math.round(rate),
        cpuMicrosPerAppend: Math.round(median(rounds.map((r) => cpuMicrosPer(r.cpu, own(r), r.appends)))),
        postgresMicrosPerAppend: Math.round(median(rounds.map((r) => cpuMicrosPer(r.cpu, 'postgres', r.appends)))),
        idle: Number(median(rounds.map((r) => r.cpu.idle)).toFixed(2)),
        gatewayRatio: Number((gatewayRate / rate).toFixed(2)),
      });
    }
  }
  return summary;
}

