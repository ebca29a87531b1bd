import { freshDatabase, dropDatabase } from './bench-database.js';
import { startGatewayProcess } from './gateway-process.js';
import { peersSuite as runPeers, type PeerSummary } from './peers.js';

/** The targets this suite checks: the gateway's rate over each peer's, per events per append. */
const TARGETS: { eventsPerAppend: number; peer: string; atLeast: number }[] = [
  { eventsPerAppend: 1, peer: 'bare group committer, in-process', atLeast: 0.5 },
  { eventsPerAppend: 1, peer: 'Emmett PostgreSQL, in-process', atLeast: 3.5 },
  { eventsPerAppend: 1, peer: 'raw INSERT, in-process', atLeast: 1.5 },
  { eventsPerAppend: 100, peer: 'Emmett PostgreSQL, in-process', atLeast: 1.5 },
];

/** Appends: the gateway over HTTP (driven by wrk) against its peers on the same PostgreSQL, in alternating rounds. */
export async function peersSuite(adminUrl: string, options: { embedded: boolean; workers: number; durationMs: number; rounds: number }) {
  const { url: databaseUrl, serverVersion } = await freshDatabase(adminUrl, 'gater_bench_peers');
  const gateway = await startGatewayProcess(databaseUrl);
  try {
    console.log(`\nappends, ${options.workers} concurrent writers, ${options.rounds} alternating rounds of ${options.durationMs / 1000}s, PostgreSQL ${serverVersion}${options.embedded ? ' (embedded)' : ''}`);
    const { rounds, summary } = await runPeers({ databaseUrl, gateway, ...options });
    console.table(summary);
    const targets = TARGETS.map((target) => {
      const peer = summary.find((s) => s.scenario === target.peer && s.eventsPerAppend === target.eventsPerAppend);
      const gatewayRow = summary.find((s) => s.scenario.startsWith('gateway') && s.eventsPerAppend === target.eventsPerAppend);
      return {
        target: `${target.eventsPerAppend} ev/append: gateway >= ${target.atLeast}x ${target.peer}`,
        gateway: gatewayRow?.eventsPerSecond,
        peer: peer?.eventsPerSecond,
        ratio: peer?.gatewayRatio,
        met: peer ? peer.gatewayRatio >= target.atLeast : undefined,
      };
    });
    console.table(targets);
    const cpu = summary.find((s) => s.scenario.startsWith('gateway') && s.eventsPerAppend === 1);
    if (cpu) console.log(`gateway CPU per 1-event append: ${cpu.cpuMicrosPerAppend} µs (PostgreSQL: ${cpu.postgresMicrosPerAppend} µs), machine ${Math.round(cpu.idle * 100)}% idle`);
    return { postgres: { version: serverVersion, embedded: options.embedded }, workers: options.workers, summary, targets, rounds, rows: appendRows(summary) };
  } finally {
    await gateway.stop();
    await dropDatabase(adminUrl, 'gater_bench_peers');
  }
}

/** The gateway's rates in the shape the persistent suite prints beside its own. */
function appendRows(summary: PeerSummary[]) {
  return summary
    .filter((s) => s.scenario.startsWith('gateway'))
    .map((s) => ({ scenario: 'appendEvents (HTTP, wrk)', eventsPerCall: s.eventsPerAppend, eventsPerSecond: s.eventsPerSecond }));
}
