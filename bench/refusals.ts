import { dropDatabase, freshDatabase } from './bench-database.js';
import { startGatewayProcess } from './gateway-process.js';
import { median } from './median.js';
import { appendBodies, postmasterPid, runWrk } from './wrk-append.js';

const APPEND = `mutation Append($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }`;

/** An append with no events, which the resolver refuses (BAD_USER_INPUT), one stream per connection. */
function refusedBodies(connections: number): string[] {
  return Array.from({ length: connections }, (_, index) => JSON.stringify({ query: APPEND, variables: { input: { streamId: `refused-${index}`, events: [] } } }));
}

export interface RefusalRow {
  requests: 'stored 1-event appends' | 'refused appends (BAD_USER_INPUT)';
  round: number;
  perSecond: number;
  gatewayMicrosPerRequest: number;
}

/**
 * What a refused request costs the gateway against a stored one: wrk posts
 * appends with no events (refused with BAD_USER_INPUT) and 1-event appends
 * (stored), in alternating rounds on one gateway. No bound: a caller whose
 * requests are refused should not load the gateway more than one whose
 * requests are stored.
 */
export async function refusalsSuite(adminUrl: string, options: { workers: number; durationMs: number; rounds: number }) {
  const { url: databaseUrl } = await freshDatabase(adminUrl, 'gater_bench_refusals');
  const gateway = await startGatewayProcess(databaseUrl);
  const rows: RefusalRow[] = [];
  try {
    const postgresPid = await postmasterPid(databaseUrl);
    const kinds = [
      { requests: 'stored 1-event appends', bodies: (round: number) => appendBodies(options.workers, 1, `stored-${round}`) },
      { requests: 'refused appends (BAD_USER_INPUT)', bodies: () => refusedBodies(options.workers) },
    ] as const;
    for (let round = 1; round <= options.rounds; round++) {
      for (const kind of kinds) {
        const run = await runWrk({ graphqlUrl: gateway.url, bodies: kind.bodies(round), gatewayPid: gateway.pid, postgresPid, connections: options.workers, durationMs: options.durationMs });
        if (run.errors > 0) throw new Error(`${kind.requests}: ${run.errors} requests failed at the HTTP level`);
        const row = {
          requests: kind.requests,
          round,
          perSecond: Math.round(run.calls / run.seconds),
          gatewayMicrosPerRequest: Math.round(((run.cpu.seconds.gateway ?? 0) * 1e6) / run.calls),
        };
        console.log(`  ${row.requests}, round ${round}: ${row.perSecond}/s, gateway ${row.gatewayMicrosPerRequest} µs each`);
        rows.push(row);
      }
    }
  } finally {
    await gateway.stop();
    await dropDatabase(adminUrl, 'gater_bench_refusals');
  }
  const medianOf = (requests: RefusalRow['requests']) => median(rows.filter((row) => row.requests === requests).map((row) => row.gatewayMicrosPerRequest));
  const stored = medianOf('stored 1-event appends');
  const refused = medianOf('refused appends (BAD_USER_INPUT)');
  const ratio = Number((refused / stored).toFixed(2));
  console.log(`\nrefused requests over HTTP (wrk, ${options.workers} connections): gateway CPU ${refused} µs per refused append, ${stored} µs per stored 1-event append: ${ratio}x`);
  return { rows, storedMicros: stored, refusedMicros: refused, ratio };
}
