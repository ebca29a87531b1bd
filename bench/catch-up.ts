import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { freshDatabase, dropDatabase } from './bench-database.js';
import { startGatewayProcess } from './gateway-process.js';
import { postJson } from './http-post.js';
import { EVENT_FIELDS, RAW_EVENT_SELECT } from './event-fields.js';
import { median } from './median.js';
import { cpuMicrosPer, measureCpu, ownCpuSeconds, processCpuSeconds, processTreeCpuSeconds, type CpuReport } from './process-cpu.js';
import { sampleEvent } from './sample-event.js';
import { postmasterPid } from './wrk-append.js';
import { concurrentPages } from './concurrent-pages.js';

const APPEND = `mutation Fill($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }`;
const REPLAY = `subscription CatchUp { byStream(streamId: "$all", fromPosition: 1) { ${EVENT_FIELDS} } }`;
const PAGE = `query Page($after: String) { events(first: 100, after: $after) { edges { node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
/** Events per append while the store is filled; the gateway's default limit per append. */
const FILL_BATCH = 1000;
const FILL_WRITERS = 4;
/** Rows per page of the raw SELECT. */
const RAW_PAGE = 1000;

export interface CatchUpRow {
  reader: string;
  events: number;
  /** Events per second in each round. */
  rounds: number[];
  /** Median over the rounds. */
  eventsPerSecond: number;
  /** This one's rate over the raw SELECT's, both medians. */
  ratioToRaw: number;
  /** CPU per event read, median over the rounds (µs): the gateway's, PostgreSQL's, and this process's (the client, or the raw reader). */
  gatewayMicrosPerEvent: number;
  postgresMicrosPerEvent: number;
  clientMicrosPerEvent: number;
  /** Share of the machine left idle, median over the rounds. */
  idle: number;
}

interface CatchUpRound {
  eventsPerSecond: number;
  events: number;
  cpu: CpuReport;
}

/** Fills the store through the gateway, as its writers would: `FILL_WRITERS` clients appending `FILL_BATCH` events a call. */
async function fill(graphqlUrl: string, total: number): Promise<void> {
  const url = new URL(graphqlUrl);
  let next = 0;
  await Promise.all(
    Array.from({ length: FILL_WRITERS }, async (_, writer) => {
      while (next < total) {
        const count = Math.min(FILL_BATCH, total - next);
        next += count;
        const events = Array.from({ length: count }, (_, index) => sampleEvent(writer, index));
        const text = await postJson(url, JSON.stringify({ query: APPEND, variables: { input: { streamId: `catch-up-${writer}-${next}`, events } } }));
        if (!text.includes('AppendEventsSuccess')) throw new Error(`filling the store failed: ${text.slice(0, 500)}`);
      }
    }),
  );
}

/** The peer: a keyset-paged SELECT of the same rows, payloads decoded by pg, in this process. */
async function rawSelect(databaseUrl: string, total: number): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  let read = 0;
  let after = 0;
  try {
    while (read < total) {
      const { rows } = await db.query<{ position: string }>(
        `${RAW_EVENT_SELECT}
         WHERE position > $1 ORDER BY position LIMIT ${RAW_PAGE}`,
        [after],
      );
      if (rows.length === 0) break;
      read += rows.length;
      after = Number(rows[rows.length - 1]!.position);
    }
  } finally {
    await db.end();
  }
  return read;
}

/** One graphql-ws subscriber replaying `$all` from position 1 until it has seen `total` events. */
function wsReplay(graphqlUrl: string, total: number): Promise<number> {
  const client = createClient({ url: graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
  return new Promise<number>((resolve, reject) => {
    let seen = 0;
    const dispose = client.subscribe(
      { query: REPLAY },
      {
        next: (result) => {
          if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
          if (++seen === total) {
            dispose();
            void client.dispose();
            resolve(seen);
          }
        },
        error: reject,
        complete: () => resolve(seen),
      },
    );
  });
}

/** Pages of 100 events over HTTP, each asked for when the previous one arrived, as a client pages through `$all`. */
async function httpPages(graphqlUrl: string, total: number): Promise<number> {
  const url = new URL(graphqlUrl);
  let read = 0;
  let after: string | null = null;
  while (read < total) {
    const text = await postJson(url, JSON.stringify({ query: PAGE, variables: { after } }));
    const body = JSON.parse(text) as { data?: { events: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }; errors?: unknown };
    if (!body.data) throw new Error(`page failed: ${text.slice(0, 500)}`);
    read += body.data.events.edges.length;
    if (!body.data.events.pageInfo.hasNextPage) break;
    after = body.data.events.pageInfo.endCursor;
  }
  return read;
}

/**
 * Catch-up: a projection replaying a store of `events` events from position 1,
 * over graphql-ws and page by page over HTTP, against a raw keyset-paged
 * SELECT of the same rows in this process; in `rounds` rounds whose order
 * turns, so that a slow spell of the shared machine does not fall on one reader.
 * Then `concurrentReaders` clients reading pages of the same store at once (see concurrentPages).
 */
export async function catchUpSuite(adminUrl: string, { events, rounds, concurrentReaders, durationMs }: { events: number; rounds: number; concurrentReaders: number; durationMs: number }) {
  const { url: databaseUrl } = await freshDatabase(adminUrl, 'gater_bench_catch_up');
  const gateway = await startGatewayProcess(databaseUrl);
  try {
    const filling = performance.now();
    await fill(gateway.url, events);
    console.log(`\ncatch-up: stored ${events} events through the gateway in ${((performance.now() - filling) / 1000).toFixed(1)}s`);
    const postgresPid = await postmasterPid(databaseUrl);
    const readers: [string, (count: number) => Promise<number>][] = [
      ['raw keyset SELECT, in-process', (count) => rawSelect(databaseUrl, count)],
      ['graphql-ws byStream("$all", fromPosition: 1)', (count) => wsReplay(gateway.url, count)],
      ['HTTP events(first: 100) pages', (count) => httpPages(gateway.url, count)],
    ];
    // Each reads a tenth of the store once, unmeasured, as benchmarks warm up.
    for (const [, read] of readers) await read(Math.ceil(events / 10));
    const measured = readers.map((): CatchUpRound[] => []);
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < readers.length; turn++) {
        const index = (turn + round) % readers.length;
        const cpu = measureCpu({
          gateway: () => processCpuSeconds(gateway.pid),
          postgres: () => (postgresPid ? processTreeCpuSeconds(postgresPid) : 0),
          client: ownCpuSeconds,
        });
        const started = performance.now();
        const read = await readers[index]![1](events);
        const seconds = (performance.now() - started) / 1000;
        measured[index]!.push({ events: read, eventsPerSecond: Math.round(read / seconds), cpu: cpu.stop() });
      }
    }
    const perEvent = (runs: CatchUpRound[], name: string) => Number(median(runs.map((run) => cpuMicrosPer(run.cpu, name, run.events))).toFixed(1));
    const raw = median(measured[0]!.map((run) => run.eventsPerSecond));
    const rows: CatchUpRow[] = readers.map(([reader], index) => {
      const runs = measured[index]!;
      const rate = median(runs.map((run) => run.eventsPerSecond));
      return {
        reader,
        events: Math.min(...runs.map((run) => run.events)),
        rounds: runs.map((run) => run.eventsPerSecond),
        eventsPerSecond: Math.round(rate),
        ratioToRaw: Number((rate / raw).toFixed(2)),
        gatewayMicrosPerEvent: perEvent(runs, 'gateway'),
        postgresMicrosPerEvent: perEvent(runs, 'postgres'),
        clientMicrosPerEvent: perEvent(runs, 'client'),
        idle: Number(median(runs.map((run) => run.cpu.idle)).toFixed(2)),
      };
    });
    console.table(rows.map(({ rounds: rates, ...row }) => ({ ...row, rounds: rates.join(' / ') })));
    const ws = rows[1]!;
    console.log(`catch-up over graphql-ws: ${ws.eventsPerSecond} events/s = ${ws.ratioToRaw}x the raw SELECT's ${rows[0]!.eventsPerSecond} (medians of ${rounds} rounds) (target >= 0.5x: ${ws.ratioToRaw >= 0.5 ? 'met' : 'not met'})`);
    const pages = await concurrentPages({ graphqlUrl: gateway.url, databaseUrl, gatewayPid: gateway.pid, postgresPid, readers: concurrentReaders, storedEvents: events, durationMs, rounds });
    console.log(`\n${concurrentReaders} readers at once, each paging $all from its own position, ${durationMs / 1000}s rounds`);
    console.table(pages);
    return { events, rows, concurrentPages: pages };
  } finally {
    await gateway.stop();
    await dropDatabase(adminUrl, 'gater_bench_catch_up');
  }
}
