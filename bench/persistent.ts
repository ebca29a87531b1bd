import { createClient, type Client } from 'graphql-ws';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { postJson } from './http-post.js';
import { cpuMicrosPer, measureCpu, ownCpuSeconds, processCpuSeconds, processTreeCpuSeconds } from './process-cpu.js';
import { LeanGraphqlWs, type LeanSink } from './lean-graphql-ws.js';
import { now, percentile } from './ws-subscribers.js';

/** Load before the window: the gateway compiles its hot paths over the first seconds (see peers.ts). */
const WARM_UP_MS = 10_000;

const SAVE = `mutation Save($input: SaveSubscriptionInput!) { saveSubscription(input: $input) { name } }`;
const APPEND = `mutation Append($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }`;
const CONSUME = `subscription Consume($subscription: String!) { persistent(subscription: $subscription) { retryCount event { id data } } }`;
const ACK = `mutation Ack($subscription: String!, $eventId: ID!) { ackEvent(subscription: $subscription, eventId: $eventId) }`;
const ACK_MANY = `mutation AckMany($subscription: String!, $eventIds: [ID!]!) { ackEvents(subscription: $subscription, eventIds: $eventIds) }`;

/** How a consumer acks: each delivery with its own ackEvent, or what arrived in one turn of its event loop with one ackEvents. */
export type AckStyle = 'each' | 'received';

/** The consumers' client: the bench's lean one (a load generator's), or graphql-ws's own, as an application uses it. */
export type ConsumerClient = 'lean' | 'graphql-ws';

export interface PersistentScenario {
  consumers: number;
  acks: AckStyle;
  client: ConsumerClient;
  /** maxInFlight of the subscription: deliveries each consumer may hold unacknowledged. */
  maxInFlight: number;
  eventsPerAppend: number;
  /** Appends under way at once: one at a time, waiting for each answer, would offer fewer events than the consumers can take. */
  appenders: number;
  /** The appenders keep at most this many events appended and not yet acked. */
  maxBacklog: number;
  durationMs: number;
}

export interface PersistentResult {
  consumers: number;
  acks: AckStyle;
  client: ConsumerClient;
  maxInFlight: number;
  acked: number;
  seconds: number;
  ackedPerSecond: number;
  /** Appended over the same window, by the appenders that keep the consumers busy. */
  appendedPerSecond: number;
  /** Deliveries that were redeliveries, and acks answered false: both 0 when nothing timed out. */
  redeliveries: number;
  acksAnsweredFalse: number;
  /** From the append request being sent to the ack being answered true. */
  p50Ms: number;
  p99Ms: number;
  /** CPU per acked event over the window: the gateway, PostgreSQL (all its processes), and the bench (appenders and consumers). */
  gatewayMicrosPerAck: number;
  postgresMicrosPerAck: number;
  benchMicrosPerAck: number;
  /** Share of the machine's cores left idle over the window. */
  idle: number;
}

/** The processes whose CPU a run reports beside its own. */
export interface PersistentProcesses {
  gatewayPid: number;
  postgresPid: number | undefined;
}

interface Delivery {
  retryCount: number;
  event: { id: string; data: { sentAt?: number } };
}

/** What a consumer needs of its client. */
interface OperationClient {
  readonly connected: Promise<void>;
  readonly failed: unknown;
  subscribe(query: string, variables: Record<string, unknown>, sink: LeanSink): void;
  close(): Promise<void>;
}

/** graphql-ws's client, behind the same face as the lean one. */
function graphqlWsClient(url: string): OperationClient {
  let connected!: () => void;
  let refused!: (error: unknown) => void;
  const connection = new Promise<void>((resolve, reject) => {
    connected = resolve;
    refused = reject;
  });
  const client: Client = createClient({ url, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, onNonLazyError: refused, on: { connected: () => connected() } });
  return {
    connected: connection,
    failed: undefined,
    subscribe: (query, variables, sink) => void client.subscribe({ query, variables }, { next: (result) => sink.next(result), error: sink.error, complete: () => undefined }),
    close: () => client.dispose() as Promise<void>,
  };
}

/** One consumer on its own socket, acking deliveries as they arrive, on the same socket. */
class AckingConsumer {
  private readonly client: OperationClient;
  /** Deliveries received and not yet asked to be acked, with acks: 'received'. */
  private received: Delivery[] = [];
  acked = 0;
  ackedFalse = 0;
  redeliveries = 0;
  latencies: number[] = [];
  private failure: unknown;

  constructor(
    wsUrl: string,
    private readonly subscription: string,
    private readonly style: AckStyle,
    client: ConsumerClient,
  ) {
    this.client = client === 'lean' ? new LeanGraphqlWs(wsUrl) : graphqlWsClient(wsUrl);
  }

  /** Subscribes once the server acknowledged the socket. */
  async start(): Promise<void> {
    await this.client.connected;
    this.client.subscribe(CONSUME, { subscription: this.subscription }, {
      next: (result) => {
        const delivery = result.data?.persistent as Delivery | undefined;
        if (!delivery) this.failure = result.errors;
        else this.take(delivery);
      },
      error: (error) => (this.failure = error),
    });
  }

  get failed(): unknown {
    return this.failure ?? this.client.failed;
  }

  reset(): void {
    this.acked = 0;
    this.ackedFalse = 0;
    this.redeliveries = 0;
    this.latencies = [];
  }

  private take(delivery: Delivery): void {
    if (delivery.retryCount > 0) this.redeliveries++;
    if (this.style === 'each') return this.ackEach(delivery);
    if (this.received.length === 0) setImmediate(() => this.ackReceived());
    this.received.push(delivery);
  }

  private acknowledged(delivery: Delivery, answer: boolean | undefined): void {
    if (answer !== true) {
      this.ackedFalse++;
      return;
    }
    this.acked++;
    const sentAt = delivery.event.data.sentAt;
    if (typeof sentAt === 'number') this.latencies.push(now() - sentAt);
  }

  private ackEach(delivery: Delivery): void {
    this.client.subscribe(ACK, { subscription: this.subscription, eventId: delivery.event.id }, {
      next: (result) => this.acknowledged(delivery, result.data?.ackEvent as boolean | undefined),
      error: (error) => (this.failure = error),
    });
  }

  private ackReceived(): void {
    const deliveries = this.received;
    this.received = [];
    this.client.subscribe(ACK_MANY, { subscription: this.subscription, eventIds: deliveries.map((delivery) => delivery.event.id) }, {
      next: (result) => {
        const answers = result.data?.ackEvents as boolean[] | undefined;
        deliveries.forEach((delivery, index) => this.acknowledged(delivery, answers?.[index]));
      },
      error: (error) => (this.failure = error),
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

async function graphql(url: URL, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const body = JSON.parse(await postJson(url, JSON.stringify({ query, variables }))) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors) throw new Error(`request failed: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

/**
 * Acked events per second end to end: appenders over HTTP keep a bounded
 * backlog of new events, a persistent subscription on $all delivers them to
 * `consumers` graphql-ws consumers, and each acks every event as it arrives.
 */
export async function runPersistent(graphqlUrl: string, scenario: PersistentScenario, { gatewayPid, postgresPid }: PersistentProcesses): Promise<PersistentResult> {
  const url = new URL(graphqlUrl);
  const subscription = 'bench';
  await graphql(url, SAVE, {
    input: { name: subscription, type: 'BY_STREAM', selector: '$all', maxInFlight: scenario.maxInFlight, ackTimeoutMs: 60_000 },
  });
  const consumers = Array.from({ length: scenario.consumers }, () => new AckingConsumer(graphqlUrl.replace(/^http/, 'ws'), subscription, scenario.acks, scenario.client));
  await Promise.all(consumers.map((consumer) => consumer.start()));
  const acked = () => consumers.reduce((sum, consumer) => sum + consumer.acked, 0);
  let appended = 0;
  let ackedBefore = 0;
  let running = true;
  let call = 0;
  const append = async () => {
    while (running) {
      if (appended - (ackedBefore + acked()) >= scenario.maxBacklog) {
        await sleep(1);
        continue;
      }
      const events = Array.from({ length: scenario.eventsPerAppend }, (_, index) => ({ type: 'Ticked', data: { sentAt: now(), index } }));
      appended += scenario.eventsPerAppend;
      await graphql(url, APPEND, { input: { streamId: `persistent-${call++ % 16}`, events } });
    }
  };
  const appenders = Promise.all(Array.from({ length: scenario.appenders }, append));
  try {
    await sleep(WARM_UP_MS);
    ackedBefore += acked();
    consumers.forEach((consumer) => consumer.reset());
    const appendedAtStart = appended;
    const cpu = measureCpu({
      gateway: () => processCpuSeconds(gatewayPid),
      postgres: () => (postgresPid ? processTreeCpuSeconds(postgresPid) : 0),
      bench: ownCpuSeconds,
    });
    const started = performance.now();
    await sleep(scenario.durationMs);
    const seconds = (performance.now() - started) / 1000;
    const total = acked();
    const used = cpu.stop();
    const perAck = (name: string) => Number(cpuMicrosPer(used, name, total).toFixed(1));
    const appendedInWindow = appended - appendedAtStart;
    const failure = consumers.find((consumer) => consumer.failed !== undefined)?.failed;
    if (failure) throw new Error(`a consumer failed: ${JSON.stringify(failure)}`);
    const latencies = consumers.flatMap((consumer) => consumer.latencies);
    return {
      consumers: scenario.consumers,
      acks: scenario.acks,
      client: scenario.client,
      maxInFlight: scenario.maxInFlight,
      acked: total,
      seconds: Number(seconds.toFixed(2)),
      ackedPerSecond: Math.round(total / seconds),
      appendedPerSecond: Math.round(appendedInWindow / seconds),
      redeliveries: consumers.reduce((sum, consumer) => sum + consumer.redeliveries, 0),
      acksAnsweredFalse: consumers.reduce((sum, consumer) => sum + consumer.ackedFalse, 0),
      p50Ms: Number(percentile(latencies, 50).toFixed(1)),
      p99Ms: Number(percentile(latencies, 99).toFixed(1)),
      gatewayMicrosPerAck: perAck('gateway'),
      postgresMicrosPerAck: perAck('postgres'),
      benchMicrosPerAck: perAck('bench'),
      idle: used.idle,
    };
  } finally {
    running = false;
    await appenders;
    await Promise.all(consumers.map((consumer) => consumer.close()));
  }
}

/** The benchmark's scenario: 4 consumers, each acking every event as it arrives, one ackEvent each or one ackEvents per turn. */
export function persistentScenario(durationMs: number, acks: AckStyle = 'each', client: ConsumerClient = 'lean'): PersistentScenario {
  // maxInFlight stays below graphql-ws's default of 100 operations per connection: with acks: 'each', each ack in flight is one.
  return { consumers: 4, acks, client, maxInFlight: 50, eventsPerAppend: 100, appenders: 4, maxBacklog: 1_000, durationMs };
}

/** The scenarios of a run: both ways of acking with the lean client, and acking each with graphql-ws's client. */
export const PERSISTENT_SCENARIOS: readonly [AckStyle, ConsumerClient][] = [
  ['each', 'lean'],
  ['received', 'lean'],
  ['each', 'graphql-ws'],
];

/** How a result's consumers acked, in words. */
export function ackStyleOf(result: Pick<PersistentResult, 'acks' | 'client'>): string {
  const acks = result.acks === 'each' ? 'one ackEvent per event' : 'one ackEvents per turn of what arrived';
  return result.client === 'lean' ? acks : `${acks}, graphql-ws's client`;
}

/** One line per result that puts the acked rate next to the append rates measured in the same run. */
export function persistentSummary(results: readonly PersistentResult[], appendRows: readonly { scenario: string; eventsPerCall: number; eventsPerSecond: number }[]): string {
  const appends = appendRows
    .filter((row) => row.scenario.startsWith('appendEvents'))
    .map((row) => `${row.eventsPerSecond} events/s with ${row.eventsPerCall} per call`);
  const beside = appends.length > 0 ? `\nappendEvents over HTTP in this run: ${appends.join(', ')}` : '';
  const lines = results.map(
    (result) =>
      `persistent subscription: ${result.ackedPerSecond} acked events/s end to end (${result.consumers} consumers, maxInFlight ${result.maxInFlight}, ${ackStyleOf(result)}); ` +
      `CPU per acked event: gateway ${result.gatewayMicrosPerAck} µs, PostgreSQL ${result.postgresMicrosPerAck} µs, the bench's appenders and consumers ${result.benchMicrosPerAck} µs; machine ${Math.round(result.idle * 100)}% idle`,
  );
  return `${lines.join('\n')}${beside}`;
}
