import { freshDatabase, dropDatabase } from './bench-database.js';
import { startFloorProcess, startGatewayProcess } from './gateway-process.js';
import { BARE, EMMETT, FLOOR, RAW, peersSuite as runPeers, type PeerSummary } from './peers.js';

/** The targets this suite checks: the gateway's rate over each peer's, per events per append. */
const TARGETS: { eventsPerAppend: number; peer: string; atLeast: number }[] = [
  { eventsPerAppend: 1, peer: BARE, atLeast: 0.5 },
  { eventsPerAppend: 1, peer: EMMETT, atLeast: 3.5 },
  { eventsPerAppend: 1, peer: RAW, atLeast: 1.5 },
  { eventsPerAppend: 100, peer: EMMETT, atLeast: 1.5 },
];

/** Appends: the gateway over HTTP (driven by wrk) against its peers on the same PostgreSQL, in alternating rounds. */
export async function peersSuite(adminUrl: string, options: { embedded: boolean; workers: number; durationMs: number; rounds: number }) {
  const { url: databaseUrl, serverVersion } = await freshDatabase(adminUrl, 'gater_bench_peers');
  const gateway = await startGatewayProcess(databaseUrl);
  const floor = await startFloorProcess(databaseUrl, 'floor').catch(async (error: unknown) => {
    await gateway.stop();
    throw error;
  });
  try {
    console.log(`\nappends, ${options.workers} concurrent writers, ${options.rounds} alternating rounds of ${options.durationMs / 1000}s, PostgreSQL ${serverVersion}${options.embedded ? ' (embedded)' : ''}`);
    const { rounds, summary } = await runPeers({ databaseUrl, gateway, floor, ...options });
    console.table(summary);
    const targets = [
      ...TARGETS.map((target) => {
        const peer = summary.find((s) => s.scenario === target.peer && s.eventsPerAppend === target.eventsPerAppend);
        const gatewayRow = summary.find((s) => s.scenario.startsWith('gateway') && s.eventsPerAppend === target.eventsPerAppend);
        return {
          target: `${target.eventsPerAppend} ev/append: gateway >= ${target.atLeast}x ${target.peer}`,
          gateway: gatewayRow?.eventsPerSecond,
          peer: peer?.eventsPerSecond,
          ratio: peer?.gatewayRatio,
          met: peer ? peer.gatewayRatio >= target.atLeast : undefined,
        };
      }),
      ...floorComparisons(summary),
    ];
    console.table(targets);
    const cpu = summary.find((s) => s.scenario.startsWith('gateway') && s.eventsPerAppend === 1);
    if (cpu) console.log(`gateway CPU per 1-event append: ${cpu.cpuMicrosPerAppend} µs (PostgreSQL: ${cpu.postgresMicrosPerAppend} µs), machine ${Math.round(cpu.idle * 100)}% idle`);
    return { postgres: { version: serverVersion, embedded: options.embedded }, workers: options.workers, summary, targets, rounds, rows: appendRows(summary) };
  } finally {
    await floor.stop();
    await gateway.stop();
    await dropDatabase(adminUrl, 'gater_bench_peers');
  }
}

/**
 * Where the gap to the bare committer lies, with no bound: the gateway against its floor (what
 * GraphQL costs), and the floor against the bare committer (what HTTP and the store's checks cost).
 */
function floorComparisons(summary: PeerSummary[]) {
  return [...new Set(summary.map((s) => s.eventsPerAppend))].flatMap((eventsPerAppend) => {
    const row = (scenario: string) => summary.find((s) => s.scenario.startsWith(scenario) && s.eventsPerAppend === eventsPerAppend);
    const [gateway, floor, bare] = [row('gateway'), row(FLOOR), row(BARE)];
    if (!gateway || !floor) return [];
    const comparisons = [{ target: `${eventsPerAppend} ev/append: gateway vs ${FLOOR}`, gateway: gateway.eventsPerSecond, peer: floor.eventsPerSecond, ratio: floor.gatewayRatio, met: undefined }];
    if (bare) {
      const ratio = Number((floor.eventsPerSecond / bare.eventsPerSecond).toFixed(2));
      comparisons.push({ target: `${eventsPerAppend} ev/append: ${FLOOR} vs ${BARE}`, gateway: floor.eventsPerSecond, peer: bare.eventsPerSecond, ratio, met: undefined });
    }
    return comparisons;
  });
}

/** The gateway's rates in the shape the persistent suite prints beside its own. */
function appendRows(summary: PeerSummary[]) {
  return summary
    .filter((s) => s.scenario.startsWith('gateway'))
    .map((s) => ({ scenario: 'appendEvents (HTTP, wrk)', eventsPerCall: s.eventsPerAppend, eventsPerSecond: s.eventsPerSecond }));
}
