import { dropDatabase, freshDatabase } from './bench-database.js';
import { startGatewayProcess } from './gateway-process.js';
import { postJson } from './http-post.js';
import { percentile } from './ws-subscribers.js';

const APPEND = `mutation Append($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }`;

export interface ConditionWalksResult {
  storedEvents: number;
  walkers: number;
  /** A plain 1-event append's latency (ms), alone and while the walkers append. */
  aloneP50Ms: number;
  aloneP99Ms: number;
  walkedP50Ms: number;
  walkedP99Ms: number;
  /** The walkers' own conditional appends, answered in the window. */
  walkerAppends: number;
}

const FILL_EVENTS_PER_APPEND = 1_000;
const WALKERS = 4;

async function append(url: URL, input: unknown): Promise<void> {
  const answer = JSON.parse(await postJson(url, JSON.stringify({ query: APPEND, variables: { input } }))) as { errors?: unknown };
  if (answer.errors) throw new Error(`append failed: ${JSON.stringify(answer.errors)}`);
}

/** Appends one event at a time to its own stream for `durationMs`, each after the last is answered: latencies (ms). */
async function plainAppendLatencies(url: URL, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const started = performance.now();
    await append(url, { streamId: 'bystander', events: [{ type: 'Noticed', data: {} }] });
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/**
 * What appends whose condition walks the log do to everyone else's: a store
 * of `storedEvents` events, a client appending one event at a time alone, then
 * while four clients send appends conditioned on a payload pattern that no
 * stored event matches, from position 0, so that each looks through the whole
 * log. No bound: a bystander's latency should barely move.
 */
export async function conditionWalksSuite(adminUrl: string, { storedEvents, durationMs }: { storedEvents: number; durationMs: number }): Promise<ConditionWalksResult> {
  const { url: databaseUrl } = await freshDatabase(adminUrl, 'gater_bench_condition_walks');
  const gateway = await startGatewayProcess(databaseUrl);
  try {
    const url = new URL(gateway.url);
    for (let filled = 0; filled < storedEvents; filled += FILL_EVENTS_PER_APPEND) {
      const events = Array.from({ length: FILL_EVENTS_PER_APPEND }, (_, index) => ({ type: 'Filled', data: { n: filled + index, note: 'x'.repeat(60) } }));
      await append(url, { streamId: `filled-${(filled / FILL_EVENTS_PER_APPEND) % 50}`, events });
    }
    const alone = await plainAppendLatencies(url, durationMs / 2);
    let walking = true;
    let walkerAppends = 0;
    const walkers = Array.from({ length: WALKERS }, async (_, walker) => {
      while (walking) {
        const condition = { after: 0, failIfEventsMatch: { pattern: { data: { absent: walker } } } };
        await append(url, { streamId: `walker-${walker}`, condition, events: [{ type: 'Walked', data: {} }] });
        walkerAppends++;
      }
    });
    const walked = await plainAppendLatencies(url, durationMs);
    walking = false;
    await Promise.all(walkers);
    const round = (ms: number) => Number(ms.toFixed(1));
    const result = {
      storedEvents,
      walkers: WALKERS,
      aloneP50Ms: round(percentile(alone, 50)),
      aloneP99Ms: round(percentile(alone, 99)),
      walkedP50Ms: round(percentile(walked, 50)),
      walkedP99Ms: round(percentile(walked, 99)),
      walkerAppends,
    };
    console.log(
      `\na 1-event append, ${storedEvents} events stored: p50 ${result.aloneP50Ms} ms, p99 ${result.aloneP99Ms} ms alone; ` +
        `p50 ${result.walkedP50Ms} ms, p99 ${result.walkedP99Ms} ms while ${WALKERS} clients append with conditions that walk the log (${walkerAppends} of those answered)`,
    );
    return result;
  } finally {
    await gateway.stop();
    await dropDatabase(adminUrl, 'gater_bench_condition_walks');
  }
}
