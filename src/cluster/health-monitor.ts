import type { PostgresNode } from './node.js';
import type { NodeState } from './node-health.js';

export interface ProbeResult {
  node: PostgresNode;
  before: NodeState;
  after: NodeState;
}

export interface HealthMonitorOptions {
  nodes: readonly PostgresNode[];
  intervalMs: number;
  downAfterFailures: number;
  /** Called after every round, with each node's state before and after it. */
  onRound: (results: ProbeResult[]) => void;
}

/** Probes every node, all at once, `intervalMs` after the previous round ended. */
export class HealthMonitor {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: HealthMonitorOptions) {}

  /** Runs the first round; the next ones follow on their own. */
  start(): Promise<void> {
    return this.probeNow();
  }

  /**
   * A round that starts no earlier than this call (after the one under way, if any),
   * for whoever must know what the nodes are now: a write whose connection failed, /ready.
   */
  probeNow(): Promise<void> {
    // After stop the nodes are closed; a probe would open a session nobody closes.
    if (this.stopped) return Promise.resolve();
    if (!this.inFlight) return this.startRound();
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      return this.probeNow();
    });
    return this.queued;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
    await this.queued;
  }

  private startRound(): Promise<void> {
    this.inFlight = this.round().finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
    return this.inFlight;
  }

  private async round(): Promise<void> {
    const { nodes, downAfterFailures, onRound } = this.options;
    clearTimeout(this.timer);
    const results = await Promise.all(nodes.map(async (node) => ({ node, ...(await node.probe(downAfterFailures)) })));
    if (!this.stopped) onRound(results);
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.probeNow(), this.options.intervalMs);
    this.timer.unref();
  }
}
