import type pg from 'pg';
import type { EventStore } from '../store/event-store.js';
import type { FanOutIndex } from './fan-out-index.js';

export interface TailerOptions {
  store: EventStore;
  index: FanOutIndex;
  /** A dedicated session on the leader to LISTEN on. */
  connect: () => Promise<pg.Client>;
  /** Reads also run this often, in case a notification is lost. Default 500 ms. */
  pollIntervalMs?: number;
  /** Events read per query. Default 500. */
  batchSize?: number;
  log: (message: string) => void;
}

/**
 * The one reader of a store's new events in this gateway. Woken by
 * LISTEN/NOTIFY (or the poll), it reads everything after its position in
 * batches and hands each event to the fan-out index. Positions are gapless
 * and commit-ordered, so reading after the last position never misses one.
 */
export class Tailer {
  private position = 0;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private listener: pg.Client | undefined;
  private poll: NodeJS.Timeout | undefined;
  private running = false;
  private starting: Promise<void> | undefined;
  /** Counts starts and stops: work begun in an earlier run sees the number moved on and stops. */
  private generation = 0;
  /** The trouble last logged, per kind: an outage (a failover) is told once, not on every poll. */
  private readonly troubles: { read?: string; listen?: string } = {};

  constructor(private readonly options: TailerOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Starts reading after the current head. Whoever awaits this may then read
   * history up to any point: every event committed after the head it saw will
   * be dispatched. Concurrent callers share one start.
   */
  start(): Promise<void> {
    this.starting ??= this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    const generation = ++this.generation;
    this.running = true;
    const position = (await this.options.store.log.stats({ fromLeader: true })).headPosition;
    if (generation !== this.generation) return;
    this.position = position;
    this.poll = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 500);
    this.poll.unref();
    void this.listen(generation);
  }

  async stop(): Promise<void> {
    this.generation++;
    this.starting = undefined;
    this.running = false;
    clearInterval(this.poll);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.reading;
  }

  /** Reads now, or right after the read under way. */
  wake(): void {
    if (!this.running) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readNew(this.generation).finally(() => {
      this.reading = undefined;
      if (this.readAgain) {
        this.readAgain = false;
        this.wake();
      }
    });
  }

  private async readNew(generation: number): Promise<void> {
    const { store, index, batchSize = 500 } = this.options;
    try {
      for (;;) {
        const page = await store.log.readAll(
          { direction: 'forward', fromPosition: this.position + 1, eventTypes: undefined, streamPrefix: undefined, limit: batchSize },
          { fromLeader: true },
        );
        for (const event of page.items) {
          if (generation !== this.generation) return;
          this.position = event.position;
          index.dispatch(event);
        }
        if (!page.hasMore) break;
      }
      this.troubles.read = undefined;
    } catch (error) {
      this.report('read', `tailer of store ${store.id}: read failed, retrying on the next poll: ${(error as Error).message}`);
    }
  }

  private report(kind: 'read' | 'listen', trouble: string): void {
    if (this.troubles[kind] === trouble) return;
    this.troubles[kind] = trouble;
    this.options.log(trouble);
  }

  private async listen(generation: number): Promise<void> {
    const { store, connect, log } = this.options;
    try {
      const listener = await connect();
      if (generation !== this.generation) {
        await listener.end();
        return;
      }
      this.listener = listener;
      listener.on('notification', () => this.wake());
      listener.on('error', (error) => {
        log(`tailer of store ${store.id}: LISTEN connection lost (${error.message}); polling until it is back`);
        this.relisten(listener, generation);
      });
      await listener.query(`LISTEN ${store.tables.channelIdentifier}`);
      this.troubles.listen = undefined;
      // Anything committed between start and LISTEN is caught by this read.
      this.wake();
    } catch (error) {
      this.report('listen', `tailer of store ${store.id}: cannot LISTEN (${(error as Error).message}); polling until it can`);
      this.relistenLater(generation);
    }
  }

  private relisten(lost: pg.Client, generation: number): void {
    if (this.listener !== lost) return;
    this.listener = undefined;
    void lost.end().catch(() => undefined);
    this.relistenLater(generation);
  }

  private relistenLater(generation: number): void {
    if (generation !== this.generation) return;
    setTimeout(() => {
      if (generation === this.generation) void this.listen(generation);
    }, 1_000).unref();
  }
}
