import { Histogram, Registry } from 'prom-client';
import type { AppendObservers } from '../../store/append-observer.js';
import type { DeliveryObservers } from '../../subscriptions/delivery-observer.js';
import { OperationDurations } from './operation-durations.js';
import { processMetrics } from './process-metrics.js';

export interface GatewayMetricsOptions {
  /** Distinct operation names that get their own latency series; later ones are counted as `other`. Default 100. */
  maxOperationNames?: number;
}

/** Seconds, from well under a millisecond (a cached read) to the write timeout. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Events per batch, up to the group commit's own bound (5,000). */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/**
 * One gateway's metrics, on a registry of its own (two gateways in one process
 * do not share series), with the process' default metrics merged in. The
 * layers below the server are handed plain callbacks (`appendObservers`,
 * `deliveryObservers`), never this object.
 */
export class GatewayMetrics {
  readonly registry: Registry;
  readonly operations: OperationDurations;
  /** For the store: each store's group-commit batches, their size and how long their commit took. */
  readonly appendObservers: AppendObservers;
  /** For the live subscriptions: how long after its commit an event reached its store's subscribers. */
  readonly deliveryObservers: DeliveryObservers;
  private readonly beforeScrape: (() => void)[] = [];

  constructor({ maxOperationNames = 100 }: GatewayMetricsOptions = {}) {
    this.registry = Registry.merge([processMetrics(), new Registry()]);
    const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
      new Histogram<L>({ name, help, labelNames, buckets, registers: [this.registry] });
    const operationDuration = histogram(
      'gater_operation_duration_seconds',
      'Time to execute a GraphQL query or mutation, by operation type and name (anonymous; other past the first names).',
      ['type', 'name'],
      LATENCY_BUCKETS,
    );
    this.operations = new OperationDurations(operationDuration, maxOperationNames);
    const batchEvents = histogram('gater_append_batch_events', 'Events per group-commit transaction, by store.', ['store'], BATCH_SIZE_BUCKETS);
    const commitDuration = histogram(
      'gater_append_commit_duration_seconds',
      'Time from the start of a group-commit batch to its commit (replans included), by store.',
      ['store'],
      LATENCY_BUCKETS,
    );
    const deliveryLatency = histogram(
      'gater_live_delivery_latency_seconds',
      "Time from an event's commit (the database's clock) to its offer to the store's live subscribers (this gateway's clock), by store.",
      ['store'],
      LATENCY_BUCKETS,
    );
    // A store's series exist from its start, at 0: a dashboard tells "no appends" from "no metric".
    this.appendObservers = (store) => {
      batchEvents.zero({ store });
      commitDuration.zero({ store });
      const events = batchEvents.labels(store).observe;
      const duration = commitDuration.labels(store).observe;
      return (count, began) => {
        events(count);
        duration((performance.now() - began) / 1_000);
      };
    };
    this.deliveryObservers = (store) => {
      deliveryLatency.zero({ store });
      const latency = deliveryLatency.labels(store).observe;
      return (createdEpoch) => {
        // createdEpoch is in microseconds. A database clock ahead of this one makes the lag negative; it counts
        // as 0, as would a value that is no number (prom-client throws on one, and the tailer must never see that).
        const lag = ((performance.timeOrigin + performance.now()) * 1_000 - createdEpoch) / 1_000_000;
        latency(lag > 0 ? lag : 0);
      };
    };
  }

  /** Runs before every scrape: for metrics that appear only once what they count exists. */
  onScrape(prepare: () => void): void {
    this.beforeScrape.push(prepare);
  }

  /** The text of a scrape, in the format `contentType` names. */
  scrape(): Promise<string> {
    for (const prepare of this.beforeScrape) prepare();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
