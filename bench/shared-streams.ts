import pg from 'pg';
import { dropDatabase, freshDatabase } from './bench-database.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';
import { median } from './median.js';
import { appendBodies, postmasterPid, runWrk, storedEvents } from './wrk-append.js';

/** How long each scenario runs, unmeasured, before the rounds. */
const WARM_UP_MS = 3_000;

const ONE = 'one gateway';
const TWO = 'two gateways';

export interface SharedStreamsResult {
  scenario: string;
  /** Medians over the rounds. */
  eventsPerSecond: number;
  /** wrk's failed requests (socket errors, non-2xx), summed over the rounds. */
  failedRequests: number;
  idle: number;
}

/**
 * 1-event appends to the same streams through one gateway, and through two
 * gateways on one store at once (each half of the connections), as a load
 * balancer in front of two gateways spreads one application's writes: every
 * stream gets appends through both. The same connections and streams either
 * way (streams of the same number, new for each run), in alternating
 * rounds; throughput is what the store gained.
 */
export async function sharedStreamsSuite(adminUrl: string, options: { workers: number; durationMs: number; rounds: number }) {
  const { url: databaseUrl, serverVersion } = await freshDatabase(adminUrl, 'gater_bench_shared');
  const gateways: GatewayProcess[] = [];
  try {
    gateways.push(await startGatewayProcess(databaseUrl), await startGatewayProcess(databaseUrl));
    const postgresPid = await postmasterPid(databaseUrl);
    const streams = Math.max(1, options.workers / 2);
    const run = async (through: GatewayProcess[], name: string, durationMs: number) => {
      const bodies = appendBodies(streams, 1, name);
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const before = await storedEvents(db, 'default');
        const runs = await Promise.all(
          through.map((gateway) =>
            runWrk({ graphqlUrl: gateway.url, bodies, gatewayPid: gateway.pid, postgresPid, connections: options.workers / through.length, durationMs }),
          ),
        );
        const events = (await storedEvents(db, 'default')) - before;
        const seconds = Math.max(...runs.map((each) => each.seconds));
        return { eventsPerSecond: Math.round(events / seconds), failed: runs.reduce((sum, each) => sum + each.errors, 0), idle: runs[0]!.cpu.idle };
      } finally {
        await db.end();
      }
    };
    const scenarios: [string, GatewayProcess[]][] = [
      [ONE, gateways.slice(0, 1)],
      [TWO, gateways],
    ];
    // Streams of their own for each run, so that none starts with versions another gateway's cache holds.
    for (const [, through] of scenarios) await run(through, `warm-${through.length}`, WARM_UP_MS);
    const rounds: { scenario: string; eventsPerSecond: number; failed: number; idle: number }[] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (let turn = 0; turn < scenarios.length; turn++) {
        const [scenario, through] = scenarios[(turn + round) % scenarios.length]!;
        const result = await run(through, `${through.length}-${round}`, options.durationMs);
        rounds.push({ scenario, ...result });
        console.log(`  round ${round + 1}: ${scenario}: ${result.eventsPerSecond} ev/s`);
      }
    }
    const results: SharedStreamsResult[] = scenarios.map(([scenario]) => {
      const of = rounds.filter((round) => round.scenario === scenario);
      return {
        scenario,
        eventsPerSecond: Math.round(median(of.map((round) => round.eventsPerSecond))),
        failedRequests: of.reduce((sum, round) => sum + round.failed, 0),
        idle: Number(median(of.map((round) => round.idle)).toFixed(2)),
      };
    });
    console.log(`\n1-event appends to ${streams} streams, ${options.workers} connections, through one gateway and through two on one store, PostgreSQL ${serverVersion}`);
    console.table(results);
    return { results, rounds, ratio: Number((results[1]!.eventsPerSecond / results[0]!.eventsPerSecond).toFixed(2)) };
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await dropDatabase(adminUrl, 'gater_bench_shared');
  }
}
