import { RefusalError } from '../refusal-error.js';

/** How often a socket that holds too much is looked at again. */
const CHECK_INTERVAL_MS = 50;

/** A subscription whose socket stayed too full for too long. */
export class SlowConsumerError extends RefusalError {
  constructor(maxBytes: number, timeoutMs: number) {
    super(
      `the connection kept more than ${maxBytes} bytes unread for ${timeoutMs} ms (GATER_SLOW_CONSUMER_BYTES, GATER_SLOW_CONSUMER_TIMEOUT_MS): this subscription is ended; read faster, or subscribe again from the last position seen`,
    );
    this.name = 'SlowConsumerError';
  }
}

/** What the room needs of a socket: a `ws` WebSocket is one. */
export interface BufferedSocket {
  readonly bufferedAmount: number;
  once(event: 'close', listener: () => void): unknown;
}

/** An operation that sends on the socket. */
export interface Tenant {
  /** True while it has a message on its way out, or waits for room to send one. */
  readonly busy: boolean;
  /** Ends it: the socket it sends on stayed too full for too long. */
  stall(error: SlowConsumerError): void;
}

/** Room on a socket for more messages, as an operation sees it. */
export interface Room {
  /** Counts the tenant in until it leaves. */
  join(tenant: Tenant): void;
  leave(tenant: Tenant): void;
  /** Undefined when there is room now (no promise made); else settles once there is, or once the waiting tenant was stalled. */
  wait(): Promise<void> | undefined;
}

/**
 * Room on one socket. An operation takes its next event only while the
 * socket's unsent bytes are within `maxBytes`; otherwise it waits, and its
 * events wait in its bounded buffer, then in the database. Once the socket has
 * held more than that for `timeoutMs`, every operation with a message on its
 * way or waiting to send one is stalled (ended with SlowConsumerError); those
 * with nothing to send carry on.
 */
export class SendRoom implements Room {
  private readonly tenants = new Set<Tenant>();
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private fullSince = 0;

  constructor(
    private readonly socket: BufferedSocket,
    private readonly maxBytes: number,
    private readonly timeoutMs: number,
  ) {
    // A closed socket sends nothing more: whoever waits is let go, and finds its operation ended.
    socket.once('close', () => this.close());
  }

  /** Operations sending on the socket now. */
  get tenantCount(): number {
    return this.tenants.size;
  }

  join(tenant: Tenant): void {
    this.tenants.add(tenant);
  }

  leave(tenant: Tenant): void {
    this.tenants.delete(tenant);
  }

  /** To be called after each message handed to the socket: starts watching it once it holds too much. */
  sent(): void {
    if (this.timer === undefined && this.full()) this.watch();
  }

  wait(): Promise<void> | undefined {
    if (!this.full()) return undefined;
    this.watch();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private full(): boolean {
    return this.socket.bufferedAmount > this.maxBytes;
  }

  private watch(): void {
    if (this.timer !== undefined) return;
    this.fullSince = performance.now();
    this.timer = setInterval(() => this.check(), CHECK_INTERVAL_MS);
  }

  private check(): void {
    if (!this.full()) {
      this.stopWatching();
      this.releaseWaiters();
      return;
    }
    if (performance.now() - this.fullSince < this.timeoutMs) return;
    const error = new SlowConsumerError(this.maxBytes, this.timeoutMs);
    for (const tenant of this.tenants) if (tenant.busy) tenant.stall(error);
    this.releaseWaiters();
    this.fullSince = performance.now();
  }

  private releaseWaiters(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private stopWatching(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private close(): void {
    this.stopWatching();
    this.releaseWaiters();
    this.tenants.clear();
  }
}
