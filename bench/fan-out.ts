import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayProcess } from './gateway-process.js';
import { postJson } from './http-post.js';
import { FleetProcess } from './fleet-process.js';
import { now } from './ws-subscribers.js';

const WARM_UP_MS = 2_000;

const APPEND = `mutation Append($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }`;

export interface FanOutScenario {
  name: string;
  subscriptions: number;
  sockets: number;
  /** Stream each subscription follows: its own, or "$all". */
  streamOf: (index: number) => string;
  appendsPerSecond: number;
  eventsPerAppend: number;
  /** Stream each append goes to. */
  appendStream: (index: number) => string;
  durationMs: number;
}

export interface FanOutResult {
  scenario: string;
  subscriptions: number;
  sockets: number;
  appendedEvents: number;
  delivered: number;
  expectedDeliveries: number;
  deliveriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  idleRssKiBPerSubscription: number;
  idleHeapKiBPerSubscription: number;
}

function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN);
}

async function heapUsedBytes(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

async function activeSubscriptions(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return [...text.matchAll(/^gater_live_subscriptions\{[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

async function waitForActive(origin: string, expected: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await activeSubscriptions(origin)) < expected) {
    if (Date.now() > deadline) throw new Error(`only ${await activeSubscriptions(origin)} of ${expected} subscriptions became active`);
    await sleep(200);
  }
}

/** Appends at a steady rate for the duration: each tick sends what is due so far. */
async function appendSteadily(graphqlUrl: string, scenario: FanOutScenario): Promise<number> {
  const url = new URL(graphqlUrl);
  const started = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  let sent = 0;
  while (performance.now() - started < scenario.durationMs) {
    const due = Math.floor(((performance.now() - started) / 1000) * scenario.appendsPerSecond);
    for (; sent < due; sent++) {
      const events = Array.from({ length: scenario.eventsPerAppend }, () => ({ type: 'Ticked', data: { sentAt: now() } }));
      const request = postJson(url, JSON.stringify({ query: APPEND, variables: { input: { streamId: scenario.appendStream(sent), events } } }));
      inFlight.add(request);
      // A failed append fails the scenario at Promise.all below, not the whole bench as an unhandled rejection.
      request.then(
        () => inFlight.delete(request),
        () => undefined,
      );
    }
    await sleep(5);
  }
  await Promise.all(inFlight);
  return sent * scenario.eventsPerAppend;
}

export interface IdleMemory {
  idleRssKiBPerSubscription: number;
  /** The JavaScript heap's share of it (the rest is V8's reserve, buffers and sockets). */
  idleHeapKiBPerSubscription: number;
}

/**
 * Memory held per idle subscription, read after a full collection on both
 * sides, so that what setting up the subscriptions allocated and let go of
 * is not counted. Needs a gateway started with its inspector.
 */
export async function measureIdleMemory(gateway: GatewayProcess, scenario: FanOutScenario): Promise<IdleMemory> {
  const origin = new URL(gateway.url).origin;
  const fleet = await FleetProcess.open(gateway.url.replace(/^http/, 'ws'), scenario.sockets);
  try {
    await gateway.collectGarbage();
    const rssBefore = rssKiB(gateway.pid);
    const heapBefore = await heapUsedBytes(origin);
    await fleet.subscribe(Array.from({ length: scenario.subscriptions }, (_, index) => scenario.streamOf(index)));
    await waitForActive(origin, scenario.subscriptions);
    await gateway.collectGarbage();
    return {
      idleRssKiBPerSubscription: Number(((rssKiB(gateway.pid) - rssBefore) / scenario.subscriptions).toFixed(1)),
      idleHeapKiBPerSubscription: Number((((await heapUsedBytes(origin)) - heapBefore) / 1024 / scenario.subscriptions).toFixed(1)),
    };
  } finally {
    await fleet.close();
  }
}

/**
 * Subscribers on their own sockets, steady appends, deliveries counted and
 * timed in a process of their own: neither the appender's work nor its
 * garbage collections delay the clock that stamps arrivals.
 */
export async function runFanOut(graphqlUrl: string, scenario: FanOutScenario): Promise<Omit<FanOutResult, keyof IdleMemory>> {
  const origin = new URL(graphqlUrl).origin;
  const fleet = await FleetProcess.open(graphqlUrl.replace(/^http/, 'ws'), scenario.sockets);
  try {
    await fleet.subscribe(Array.from({ length: scenario.subscriptions }, (_, index) => scenario.streamOf(index)));
    await waitForActive(origin, scenario.subscriptions);

    // Warm up (connections, JIT, first batches) before anything is measured.
    await appendSteadily(graphqlUrl, { ...scenario, durationMs: WARM_UP_MS });
    await sleep(500);
    await fleet.reset();
    const started = performance.now();
    const appendedEvents = await appendSteadily(graphqlUrl, scenario);
    const allStreams = scenario.streamOf(0) === '$all';
    const expected = allStreams ? appendedEvents * scenario.subscriptions : appendedEvents;
    const deadline = performance.now() + 30_000;
    let delivered = await fleet.delivered();
    while (delivered < expected && performance.now() < deadline) {
      await sleep(20);
      delivered = await fleet.delivered();
    }
    const seconds = (performance.now() - started) / 1000;
    const { p50Ms, p99Ms } = await fleet.stats();
    return {
      scenario: scenario.name,
      subscriptions: scenario.subscriptions,
      sockets: scenario.sockets,
      appendedEvents,
      delivered,
      expectedDeliveries: expected,
      deliveriesPerSecond: Math.round(delivered / seconds),
      p50Ms: Number(p50Ms.toFixed(1)),
      p99Ms: Number(p99Ms.toFixed(1)),
    };
  } finally {
    await fleet.close();
  }
}

/** The large fan-out target: 50,000 subscriptions of one stream each on 500 sockets, 1,000 appends/s. Long to set up: its own suite. */
export function fanOut50kScenario(durationMs: number): FanOutScenario {
  return {
    name: '50,000 subscriptions, one stream each, 1,000 appends/s',
    subscriptions: 50_000,
    sockets: 500,
    streamOf: (index) => `fan50k-${index}`,
    appendsPerSecond: 1_000,
    eventsPerAppend: 1,
    appendStream: (index) => `fan50k-${(index * 7919) % 50_000}`,
    durationMs,
  };
}

/** The targets a fan-out result is held to, as lines to print beside the table. */
export function fanOutTargets(results: FanOutResult[]): string[] {
  return results.map((result) => {
    if (result.scenario.includes('$all')) {
      return `${result.scenario}: ${result.deliveriesPerSecond} deliveries/s (target >= 100,000: ${result.deliveriesPerSecond >= 100_000 ? 'met' : 'not met'})`;
    }
    const rssKiB = result.idleRssKiBPerSubscription;
    const met = result.p99Ms < 100 && rssKiB <= 10;
    return `${result.scenario}: p99 ${result.p99Ms} ms, ${rssKiB} KiB RSS per subscription (targets p99 < 100 ms, <= 10 KiB: ${met ? 'met' : 'not met'})`;
  });
}

export function fanOutScenarios(durationMs: number): FanOutScenario[] {
  return [
    {
      name: '10,000 subscriptions, one stream each, 1,000 appends/s',
      subscriptions: 10_000,
      sockets: 100,
      streamOf: (index) => `fan-${index}`,
      appendsPerSecond: 1_000,
      eventsPerAppend: 1,
      appendStream: (index) => `fan-${(index * 7919) % 10_000}`,
      durationMs,
    },
    {
      name: '1,000 subscriptions on $all',
      subscriptions: 1_000,
      sockets: 10,
      streamOf: () => '$all',
      appendsPerSecond: 40,
      eventsPerAppend: 5,
      appendStream: (index) => `all-${index % 100}`,
      durationMs,
    },
  ];
}
