import { freshDatabase, dropDatabase } from './bench-database.js';
import { startFloorProcess, startGatewayProcess, startHttpOnlyProcess, type GatewayProcess } from './gateway-process.js';
import { BARE, COMMITTER, EMMETT, FLOOR, HTTP_ONLY, RAW, peersSuite as runPeers, type PeerSummary } from './peers.js';

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
  const servers: GatewayProcess[] = [];
  const started = async (starting: Promise<GatewayProcess>) => {
    const server = await starting;
    servers.push(server);
    return server;
  };
  try {
    const gateway = await started(startGatewayProcess(databaseUrl));
    const floor = await started(startFloorProcess(databaseUrl, 'floor'));
    const httpOnly = await started(startHttpOnlyProcess());
    console.log(`\nappends, ${options.workers} concurrent writers, ${options.rounds} alternating rounds of ${options.durationMs / 1000}s, PostgreSQL ${serverVersion}${options.embedded ? ' (embedded)' : ''}`);
    const { rounds, summary } = await runPeers({ databaseUrl, gateway, floor, httpOnly, ...options });
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
    await Promise.all(servers.map((server) => server.stop()));
    await dropDatabase(adminUrl, 'gater_bench_peers');
  }
}

/**
 * Where the gap to the bare committer lies, with no bound: the gateway against its floor (what
 * GraphQL costs), the floor against HTTP alone (what the store's path costs), against the bare
 * committer (what HTTP and the store's checks cost) and against its committer in-process (what
 * HTTP costs), the committer in-process against the bare one (what the commit design's checks and
 * stream rows cost, with no HTTP), and HTTP alone against the bare committer.
 */
function floorComparisons(summary: PeerSummary[]) {
  const pairs: [string, string][] = [
    ['gateway', FLOOR],
    [FLOOR, HTTP_ONLY],
    [FLOOR, BARE],
    [FLOOR, COMMITTER],
    [COMMITTER, BARE],
    [HTTP_ONLY, BARE],
  ];
  return [...new Set(summary.map((s) => s.eventsPerAppend))].flatMap((eventsPerAppend) => {
    const row = (scenario: string) => summary.find((s) => s.scenario.startsWith(scenario) && s.eventsPerAppend === eventsPerAppend);
    return pairs.flatMap(([scenario, peer]) => {
      const [figure, against] = [row(scenario), row(peer)];
      if (!figure || !against) return [];
      const ratio = Number((figure.eventsPerSecond / against.eventsPerSecond).toFixed(2));
      return [{ target: `${eventsPerAppend} ev/append: ${scenario} vs ${peer}`, gateway: figure.eventsPerSecond, peer: against.eventsPerSecond, ratio, met: undefined }];
    });
  });
}

/** The gateway's rates in the shape the persistent suite prints beside its own. */
function appendRows(summary: PeerSummary[]) {
  return summary
    .filter((s) => s.scenario.startsWith('gateway'))
    .map((s) => ({ scenario: 'appendEvents (HTTP, wrk)', eventsPerCall: s.eventsPerAppend, eventsPerSecond: s.eventsPerSecond }));
}
