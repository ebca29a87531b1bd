import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ClusterUnavailableError } from './cluster-errors.js';
import { claimsLeadership, clusterStatus, hasOneHealthyLeader } from './cluster-status.js';
import { changeKey, nodeView, type ClusterSnapshot } from './cluster-view.js';
import { GatewayDirectory } from './gateway-directory.js';
import { HealthMonitor, type ProbeResult } from './health-monitor.js';
import { classifyFailure, writeOnLeader } from './leader-write.js';
import { openNode, type ClusterNode, type PostgresNode } from './node.js';
import type { NodeState } from './node-health.js';
import { chooseLeader, chooseReader } from './node-selection.js';
import { changeFeed } from './snapshot-feed.js';

export { ClusterUnavailableError, WriteOutcomeUnknownError } from './cluster-errors.js';

/** `leader`: read-your-writes, served by the leader. `any`: a random healthy node. */
export type ReadConsistency = 'any' | 'leader';

export interface ReadOptions {
  /** Default `any`. */
  consistency?: ReadConsistency;
}

export interface WriteOptions {
  /**
   * Makes a write whose connection was lost before the answer retryable, once,
   * on the leader a fresh probe finds. It is called before the retry and must
   * make running the write again harmless. Default: no retry on a lost connection.
   */
  prepareRetry?: () => void;
  /**
   * When the write's time started, on `performance.now()`'s clock (a request
   * that waited for its batch started before the batch). Its answer is due
   * `writeTimeoutMs` later. Default: now.
   */
  since?: number;
  /** False for a write that may take long by design (a migration): no deadline. Default true. */
  bounded?: boolean;
}

/** Where requests go: writes to the leader, reads to a healthy node. */
export interface Cluster {
  readonly nodes: readonly ClusterNode[];
  /** This gateway and the others gossip has found. */
  readonly gateways: GatewayDirectory;
  /** Settles once every node has been probed once. */
  readonly probed: Promise<void>;
  /** The pool of the node that takes writes; throws ClusterUnavailableError when there is no one leader. */
  leader(): pg.Pool;
  /** The pool of a node that can serve reads; throws ClusterUnavailableError when there is none. */
  reader(options?: ReadOptions): pg.Pool;
  /** How long a write may take before it is answered (`GATER_WRITE_TIMEOUT_MS`). */
  readonly writeTimeoutMs: number;
  /** Runs a read on a reader; one that fails on a lost connection runs again on another node. */
  read<T>(run: (db: pg.Pool) => Promise<T>, options?: ReadOptions): Promise<T>;
  /**
   * Runs a write on the leader (see WriteOptions for retries), answered within
   * `writeTimeoutMs`: ClusterUnavailableError when nothing was sent,
   * WriteOutcomeUnknownError when it was sent and its outcome is not known.
   */
  write<T>(run: (db: pg.Pool) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** A dedicated session on the leader, for LISTEN; cut when that node stops being the leader. */
  connectToLeader(): Promise<pg.Client>;
  /** True when exactly one node leads and answers a probe made now. */
  ready(): Promise<boolean>;
  snapshot(): ClusterSnapshot;
  /** A stable name for a node that does not give its address away, keyed by a secret of this gateway so that it cannot be reversed. */
  opaqueNodeId(nodeId: string): string;
  /** A stable name for a set of nodes, keyed as `opaqueNodeId` is: it gives none of their addresses away. */
  opaqueClusterId(nodeIds: readonly string[]): string;
  /** The snapshot now, then again on every change of status, role, health or gateways. */
  watch(): AsyncIterableIterator<ClusterSnapshot>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  urls: string[];
  /** True when the single node is the gateway's own embedded server. */
  embedded: boolean;
  log: (message: string) => void;
  /** Time between probes of each node. Default 1000 ms. */
  probeIntervalMs?: number;
  /** A probe answering later fails; it also bounds every new connection. Default 1000 ms. */
  probeTimeoutMs?: number;
  /** Failed probes in a row that make a node DOWN. Default 3. */
  downAfterFailures?: number;
  /** Replicas whose replay lags more than this serve no reads. Default 5000 ms. */
  maxReplicaLagMs?: number;
  /** Longest a read statement runs. Default 30,000 ms. */
  readTimeoutMs?: number;
  /** Longest a write waits for its answer. Default 10,000 ms. */
  writeTimeoutMs?: number;
  /** This gateway's id in the cluster query and in gossip. Default a random UUID. */
  gatewayId?: string;
}

export function createCluster(options: ClusterOptions): Cluster {
  return new PostgresCluster(options);
}

class PostgresCluster implements Cluster {
  readonly nodes: readonly PostgresNode[];
  readonly gateways: GatewayDirectory;
  readonly probed: Promise<void>;
  private readonly monitor: HealthMonitor;
  private readonly maxReplicaLagMs: number;
  private readonly readTimeoutMs: number;
  readonly writeTimeoutMs: number;
  private readonly log: (message: string) => void;
  private readonly listeners = new Set<(snapshot: ClusterSnapshot) => void>();
  private snapshots = 0;
  private soleLeader: PostgresNode | undefined;
  private lastKey: string;

  constructor({ urls, embedded, log, ...options }: ClusterOptions) {
    if (urls.length === 0) throw new Error('a cluster needs at least one PostgreSQL node');
    const { probeIntervalMs = 1_000, probeTimeoutMs = 1_000, downAfterFailures = 3, maxReplicaLagMs = 5_000 } = options;
    const { readTimeoutMs = 30_000, writeTimeoutMs = 10_000 } = options;
    this.log = log;
    this.maxReplicaLagMs = maxReplicaLagMs;
    this.readTimeoutMs = readTimeoutMs;
    this.writeTimeoutMs = writeTimeoutMs;
    this.nodes = urls.map((url) => openNode({ url, embedded, timeoutMs: probeTimeoutMs, readTimeoutMs, log }));
    this.gateways = new GatewayDirectory({
      id: options.gatewayId ?? randomUUID(),
      startedAt: new Date(),
      nodes: () => this.nodes.map(nodeView),
    });
    this.gateways.onChange(() => this.notifyIfChanged());
    this.lastKey = changeKey(this.snapshot());
    this.monitor = new HealthMonitor({
      nodes: this.nodes,
      intervalMs: probeIntervalMs,
      downAfterFailures,
      onRound: (results) => this.afterRound(results),
    });
    this.probed = this.monitor.start();
  }

  leader(): pg.Pool {
    return chooseLeader(this.nodes).pool;
  }

  reader({ consistency = 'any' }: ReadOptions = {}): pg.Pool {
    if (consistency === 'leader') return chooseLeader(this.nodes).readPool;
    return chooseReader(this.nodes, { maxReplicaLagMs: this.maxReplicaLagMs }).readPool;
  }

  read<T>(run: (db: pg.Pool) => Promise<T>, options: ReadOptions = {}): Promise<T> {
    return this.readAnywhere(run, options).catch((error: unknown) => {
      // 57014: the read timeout ended the statement.
      if ((error as { code?: unknown }).code !== '57014') throw error;
      throw new ClusterUnavailableError(`the read took longer than ${this.readTimeoutMs} ms (GATER_READ_TIMEOUT_MS)`);
    });
  }

  private async readAnywhere<T>(run: (db: pg.Pool) => Promise<T>, { consistency = 'any' }: ReadOptions): Promise<T> {
    // A read changes nothing: running it again is always harmless.
    if (consistency === 'leader') return this.readOnLeader(run);
    const first = chooseReader(this.nodes, { maxReplicaLagMs: this.maxReplicaLagMs });
    try {
      return await run(first.readPool);
    } catch (error) {
      if (classifyFailure(error) !== 'lost_connection') throw error;
      void this.monitor.probeNow();
      const other = this.otherReader(first);
      if (!other) throw error;
      return run(other.readPool);
    }
  }

  write<T>(run: (db: pg.Pool) => Promise<T>, { prepareRetry, since = performance.now(), bounded = true }: WriteOptions = {}): Promise<T> {
    const leaderPool = (afterProbe: boolean) => chooseLeader(this.nodes, { healthyOnly: afterProbe }).pool;
    if (!bounded) return run(leaderPool(false));
    return writeOnLeader({
      run,
      leaderPool,
      probeNow: () => this.monitor.probeNow(),
      prepareRetry,
      deadline: since + this.writeTimeoutMs,
      timeoutMs: this.writeTimeoutMs,
    });
  }

  connectToLeader(): Promise<pg.Client> {
    return chooseLeader(this.nodes).connect();
  }

  /** Probes first: a readiness check is asked rarely, and must not answer from a state up to a probe interval old. */
  async ready(): Promise<boolean> {
    await this.monitor.probeNow();
    return hasOneHealthyLeader(this.states());
  }

  /** Runs on the leader; on a lost connection, again once on the leader a fresh probe finds. */
  private async readOnLeader<T>(run: (db: pg.Pool) => Promise<T>): Promise<T> {
    try {
      return await run(chooseLeader(this.nodes).readPool);
    } catch (error) {
      if (classifyFailure(error) === null) throw error;
      await this.monitor.probeNow();
      return run(chooseLeader(this.nodes, { healthyOnly: true }).readPool);
    }
  }

  private readonly nodeIdKey = randomBytes(32);

  opaqueNodeId(nodeId: string): string {
    return `node-${this.keyedDigest(nodeId)}`;
  }

  opaqueClusterId(nodeIds: readonly string[]): string {
    return `cluster-${this.keyedDigest(JSON.stringify([...nodeIds].sort()))}`;
  }

  /** An unkeyed digest of a node list is reversed by trying the addresses of a private network: a few seconds. */
  private keyedDigest(text: string): string {
    return createHmac('sha256', this.nodeIdKey).update(text).digest('hex').slice(0, 12);
  }

  snapshot(): ClusterSnapshot {
    const states = this.states();
    const leaders = this.nodes.filter((node) => claimsLeadership(node.state));
    this.snapshots += 1;
    return {
      id: `${this.gateways.id}/${this.snapshots}`,
      status: clusterStatus(states),
      leader: leaders.length === 1 ? nodeView(leaders[0]!) : null,
      nodes: this.nodes.map(nodeView),
      gateways: this.gateways.list(),
    };
  }

  watch(): AsyncIterableIterator<ClusterSnapshot> {
    return changeFeed(
      () => this.snapshot(),
      (changed) => {
        this.listeners.add(changed);
        return () => this.listeners.delete(changed);
      },
    );
  }

  async stop(): Promise<void> {
    await this.monitor.stop();
    await Promise.all(this.nodes.map((node) => node.close()));
  }

  private states(): NodeState[] {
    return this.nodes.map((node) => node.state);
  }

  private otherReader(failed: PostgresNode): PostgresNode | undefined {
    try {
      return chooseReader(this.nodes, { maxReplicaLagMs: this.maxReplicaLagMs, exclude: [failed] });
    } catch {
      return undefined;
    }
  }

  private afterRound(results: ProbeResult[]): void {
    const statusBefore = clusterStatus(results.map((result) => result.before));
    for (const { node, before, after } of results) {
      if (before.role !== after.role || before.health !== after.health) {
        const why = after.lastError && after.health !== 'HEALTHY' ? ` (${after.lastError})` : '';
        this.log(`node ${node.id}: ${after.role} ${after.health}${why}`);
      }
      if (after.health === 'DOWN' && before.health !== 'DOWN') node.cutAll();
    }
    this.followLeader();
    const statusAfter = clusterStatus(this.states());
    if (statusAfter !== statusBefore) this.log(`cluster status: ${statusAfter}`);
    this.notifyIfChanged();
  }

  /** LISTEN sessions on a node that no longer alone leads are cut, so their owners reconnect to the leader there is now. */
  private followLeader(): void {
    const leaders = this.nodes.filter((node) => claimsLeadership(node.state));
    const current = leaders.length === 1 ? leaders[0] : undefined;
    if (current === this.soleLeader) return;
    this.soleLeader?.cutSessions();
    this.soleLeader = current;
  }

  /** One snapshot per change, the same for every watcher. */
  private notifyIfChanged(): void {
    const snapshot = this.snapshot();
    const key = changeKey(snapshot);
    if (key === this.lastKey) return;
    this.lastKey = key;
    for (const listener of this.listeners) listener(snapshot);
  }
}
