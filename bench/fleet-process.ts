import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FleetRequest, FleetStats } from './subscriber-process.js';
import { now } from './ws-subscribers.js';

const ENTRY = fileURLToPath(new URL('./subscriber-process.ts', import.meta.url));

/**
 * A SubscriberFleet in a process of its own. Latencies are its clock minus
 * the append's stamp from this process's clock; both read the wall clock
 * through a monotonic one, and the offset between them, measured when the
 * fleet opens, is taken out.
 */
export class FleetProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;
  private clockOffsetMs = 0;

  private constructor() {
    this.child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(`subscriber process: ${message.error}`));
      else waiting?.resolve(message.result);
    });
    this.child.once('exit', (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`subscriber process exited with ${code}`));
      this.pending.clear();
    });
  }

  static async open(wsUrl: string, sockets: number): Promise<FleetProcess> {
    const fleet = new FleetProcess();
    await fleet.request({ kind: 'open', wsUrl, sockets });
    fleet.clockOffsetMs = await fleet.measureClockOffset();
    return fleet;
  }

  private request<T>(request: FleetRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, request });
    });
  }

  /** The child's clock minus this one's, from the round trip that took least time. */
  private async measureClockOffset(): Promise<number> {
    let best = { roundTrip: Number.POSITIVE_INFINITY, offset: 0 };
    for (let i = 0; i < 20; i++) {
      const sent = now();
      const theirs = await this.request<number>({ kind: 'clock' });
      const received = now();
      if (received - sent < best.roundTrip) best = { roundTrip: received - sent, offset: theirs - (sent + received) / 2 };
    }
    return best.offset;
  }

  subscribe(streamIds: string[]): Promise<void> {
    return this.request({ kind: 'subscribe', streamIds });
  }

  reset(): Promise<void> {
    return this.request({ kind: 'reset' });
  }

  delivered(): Promise<number> {
    return this.request({ kind: 'delivered' });
  }

  /** What was delivered since the last reset, with its latencies' percentiles (sorting them all: ask once, at the end). */
  async stats(): Promise<FleetStats> {
    const stats = await this.request<FleetStats>({ kind: 'stats' });
    return { ...stats, p50Ms: stats.p50Ms - this.clockOffsetMs, p99Ms: stats.p99Ms - this.clockOffsetMs };
  }

  async close(): Promise<void> {
    try {
      await this.request({ kind: 'close' });
    } finally {
      this.child.disconnect();
    }
  }
}
