import type pg from 'pg';

export interface ChannelListenerOptions {
  /** A dedicated session on the leader to LISTEN on. */
  connect: () => Promise<pg.Client>;
  /** Channel names, quoted as identifiers. */
  channels: readonly string[];
  onNotification: (notification: pg.Notification) => void;
  /**
   * Called each time the LISTEN is in place, the first time and after a
   * lost connection is back: whatever was sent while nobody listened is
   * missed, so look again.
   */
  onListening: () => void;
  /** Names the listener in log lines. */
  name: string;
  log: (message: string) => void;
}

/** One session that LISTENs on a store's channels until stopped, and comes back after its connection is lost. */
export class ChannelListener {
  private client: pg.Client | undefined;
  private running = false;
  /** Counts starts, so that a LISTEN begun before a stop cannot come back to life after the next start. */
  private generation = 0;
  /** Sessions already given up on: a failed LISTEN can also emit 'error', and one loss must reconnect once. */
  private readonly lost = new WeakSet<pg.Client>();

  constructor(private readonly options: ChannelListenerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.listen(++this.generation);
  }

  async stop(): Promise<void> {
    this.running = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(generation: number): Promise<void> {
    const { connect, channels, onNotification, onListening, name, log } = this.options;
    let client: pg.Client | undefined;
    try {
      client = await connect();
      if (generation !== this.generation || !this.running) {
        await client.end();
        return;
      }
      this.client = client;
      client.on('notification', onNotification);
      client.on('error', (error) => {
        if (generation !== this.generation || !this.running) return;
        log(`${name}: LISTEN connection lost (${error.message}); polling until it is back`);
        this.reconnect(client!, generation);
      });
      for (const channel of channels) await client.query(`LISTEN ${channel}`);
      onListening();
    } catch (error) {
      if (generation !== this.generation || !this.running) return;
      log(`${name}: cannot LISTEN (${(error as Error).message}); polling until it can`);
      if (client) this.reconnect(client, generation);
      else this.listenLater(generation);
    }
  }

  private reconnect(lost: pg.Client, generation: number): void {
    if (this.lost.has(lost)) return;
    this.lost.add(lost);
    if (this.client === lost) this.client = undefined;
    void lost.end().catch(() => undefined);
    this.listenLater(generation);
  }

  private listenLater(generation: number): void {
    setTimeout(() => {
      if (generation === this.generation && this.running) void this.listen(generation);
    }, 1_000).unref();
  }
}
