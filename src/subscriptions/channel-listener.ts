import type pg from 'pg';

/** What a listener needs of its session; a `pg.Client` is one. */
export interface ListenSession {
  on(event: 'notification', listener: (notification: pg.Notification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
}

/** Wait before connecting again after a lost or refused session. */
const RECONNECT_DELAY_MS = 1_000;

export interface ChannelListenerOptions {
  /**
   * A dedicated session on the leader to LISTEN on. It must carry an 'error'
   * listener from its creation: a session lost before this listener holds it
   * (or after it let go) would otherwise crash the process.
   */
  connect: () => Promise<ListenSession>;
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

/**
 * One session that LISTENs on a store's channels until stopped, and comes
 * back after its connection is lost: exactly one new session per lost one,
 * however many ways the loss is reported.
 */
export class ChannelListener {
  private session: ListenSession | undefined;
  private running = false;
  /** Counts starts, so that a LISTEN begun before a stop cannot come back to life after the next start. */
  private generation = 0;
  /** Sessions already given up on: a failed LISTEN can also emit 'error', and one loss must reconnect once. */
  private readonly lost = new WeakSet<ListenSession>();
  /** The refusal last logged: an outage (a failover) is told once, not on every attempt. */
  private lastRefusal: string | undefined;
  private firstListen: Promise<void> = Promise.resolve();

  constructor(private readonly options: ChannelListenerOptions) {}

  /**
   * Settles once the first LISTEN is in place, or has failed (it is then
   * tried again meanwhile): from then on, what is sent is heard, unless the
   * session is lost.
   */
  start(): Promise<void> {
    if (this.running) return this.firstListen;
    this.running = true;
    this.firstListen = this.listen(++this.generation);
    return this.firstListen;
  }

  async stop(): Promise<void> {
    this.running = false;
    const session = this.session;
    this.session = undefined;
    await session?.end().catch(() => undefined);
  }

  private isCurrent(generation: number): boolean {
    return generation === this.generation && this.running;
  }

  private async listen(generation: number): Promise<void> {
    const { connect, channels, onNotification, onListening, name, log } = this.options;
    let session: ListenSession | undefined;
    try {
      session = await connect();
      if (!this.isCurrent(generation)) {
        await session.end();
        return;
      }
      const held = session;
      this.session = held;
      held.on('notification', onNotification);
      held.on('error', (error) => {
        if (!this.isCurrent(generation) || this.lost.has(held)) return;
        log(`${name}: LISTEN connection lost (${error.message}); polling until it is back`);
        this.reconnect(held, generation);
      });
      for (const channel of channels) await held.query(`LISTEN ${channel}`);
      this.lastRefusal = undefined;
      onListening();
    } catch (error) {
      if (!this.isCurrent(generation) || (session && this.lost.has(session))) return;
      const refusal = `${name}: cannot LISTEN (${(error as Error).message}); polling until it can`;
      if (refusal !== this.lastRefusal) log(refusal);
      this.lastRefusal = refusal;
      if (session) this.reconnect(session, generation);
      else this.listenLater(generation);
    }
  }

  private reconnect(lost: ListenSession, generation: number): void {
    if (this.lost.has(lost)) return;
    this.lost.add(lost);
    if (this.session === lost) this.session = undefined;
    void lost.end().catch(() => undefined);
    this.listenLater(generation);
  }

  private listenLater(generation: number): void {
    setTimeout(() => {
      if (this.isCurrent(generation)) void this.listen(generation);
    }, RECONNECT_DELAY_MS).unref();
  }
}
