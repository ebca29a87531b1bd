import pg from 'pg';
import { runLoad } from './load.js';
import { postJson } from './http-post.js';
import { EVENT_FIELDS, RAW_EVENT_SELECT } from './event-fields.js';
import { median } from './median.js';
import { measureCpu, ownCpuSeconds, processTreeCpuSeconds } from './process-cpu.js';
import { runWrk } from './wrk-append.js';

const PAGE_SIZE = 100;

export interface ConcurrentPagesRow {
  reader: string;
  /** Pages of 100 events answered per second, median over the rounds. */
  pagesPerSecond: number;
  /** This one's rate over the raw SELECT's, both medians. */
  ratioToRaw: number;
  /** CPU per page, median over the rounds (µs): the gateway's (none for the raw SELECT) and PostgreSQL's. */
  gatewayMicrosPerPage: number;
  postgresMicrosPerPage: number;
  idle: number;
}

/** Where each reader starts: spread over the stored events, one per reader. */
function startPositions(readers: number, storedEvents: number): number[] {
  const span = Math.max(1, storedEvents - PAGE_SIZE);
  return Array.from({ length: readers }, (_, reader) => 1 + Math.floor((span * reader) / readers));
}

/**
 * Many clients reading pages at once, as front ends and services read: each of
 * `readers` connections asks for a page of 100 events of `$all` from its own
 * position, again as soon as it has the answer; the gateway over HTTP (driven
 * by wrk) against the same SELECT from as many node-postgres clients in this
 * process, in alternating rounds.
 */
export async function concurrentPages(options: {
  graphqlUrl: string;
  databaseUrl: string;
  gatewayPid: number;
  postgresPid: number | undefined;
  readers: number;
  storedEvents: number;
  durationMs: number;
  rounds: number;
}): Promise<ConcurrentPagesRow[]> {
  const { graphqlUrl, databaseUrl, gatewayPid, postgresPid, readers, storedEvents, durationMs, rounds } = options;
  const positions = startPositions(readers, storedEvents);
  const bodies = positions.map((position) => JSON.stringify({ query: `{ events(first: ${PAGE_SIZE}, fromPosition: ${position}) { edges { node { ${EVENT_FIELDS} } } } }` }));
  // wrk counts answers, not what they hold: each page is checked once here to be a full one.
  for (const body of bodies) {
    const text = await postJson(new URL(graphqlUrl), body);
    const edges = (JSON.parse(text) as { data?: { events: { edges: unknown[] } } }).data?.events.edges.length;
    if (edges !== PAGE_SIZE) throw new Error(`a page asked for ${PAGE_SIZE} events and got: ${text.slice(0, 300)}`);
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: readers });
  const gateway = async () => {
    const run = await runWrk({ graphqlUrl, bodies, gatewayPid, postgresPid, connections: readers, durationMs });
    if (run.errors > 0) throw new Error(`${run.errors} page requests failed`);
    return { pages: run.calls, seconds: run.seconds, gatewayCpu: run.cpu.seconds.gateway ?? 0, postgresCpu: run.cpu.seconds.postgres ?? 0, idle: run.cpu.idle };
  };
  const raw = async () => {
    const cpu = measureCpu({ postgres: () => (postgresPid ? processTreeCpuSeconds(postgresPid) : 0), bench: ownCpuSeconds });
    const load = await runLoad(readers, durationMs, async (reader) => {
      const { rowCount } = await pool.query(
        `${RAW_EVENT_SELECT}
         WHERE position >= $1 ORDER BY position LIMIT ${PAGE_SIZE}`,
        [positions[reader]],
      );
      return rowCount === PAGE_SIZE ? 1 : 0;
    });
    const report = cpu.stop();
    return { pages: load.units, seconds: load.seconds, gatewayCpu: 0, postgresCpu: report.seconds.postgres ?? 0, idle: report.idle };
  };
  const readersInTurn: [string, typeof raw][] = [
    [`raw SELECT, ${readers} node-postgres clients in-process`, raw],
    [`HTTP events(first: ${PAGE_SIZE}), ${readers} connections (wrk)`, gateway],
  ];
  const measured = readersInTurn.map((): Awaited<ReturnType<typeof raw>>[] => []);
  try {
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < readersInTurn.length; turn++) {
        const index = (turn + round) % readersInTurn.length;
        measured[index]!.push(await readersInTurn[index]![1]());
      }
    }
  } finally {
    await pool.end();
  }
  const rate = (runs: (typeof measured)[number]) => median(runs.map((run) => run.pages / run.seconds));
  const perPage = (runs: (typeof measured)[number], cpu: 'gatewayCpu' | 'postgresCpu') => Number(median(runs.map((run) => (run[cpu] / Math.max(1, run.pages)) * 1e6)).toFixed(1));
  const rawRate = rate(measured[0]!);
  return readersInTurn.map(([reader], index) => {
    const runs = measured[index]!;
    return {
      reader,
      pagesPerSecond: Math.round(rate(runs)),
      ratioToRaw: Number((rate(runs) / rawRate).toFixed(2)),
      gatewayMicrosPerPage: perPage(runs, 'gatewayCpu'),
      postgresMicrosPerPage: perPage(runs, 'postgresCpu'),
      idle: Number(median(runs.map((run) => run.idle)).toFixed(2)),
    };
  });
}
