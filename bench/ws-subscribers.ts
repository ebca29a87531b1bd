import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const SUBSCRIBE = `subscription Bench($streamId: String!) { byStream(streamId: $streamId) { position data } }`;

/**
 * Opens `sockets` graphql-ws connections and spreads subscriptions over them.
 * Each delivered event carries its append time in data.sentAt, so the
 * latency from append to delivery is measured on this process's clock.
 */
export class SubscriberFleet {
  private readonly clients: Client[] = [];
  private readonly disposers: (() => void)[] = [];
  latencies: number[] = [];
  delivered = 0;
  private since = 0;

  /** Settles when every socket has been acknowledged by the server: subscribing before would hold up their handshakes. */
  readonly connected: Promise<void>;

  constructor(
    private readonly wsUrl: string,
    sockets: number,
  ) {
    const acknowledged: Promise<void>[] = [];
    for (let i = 0; i < sockets; i++) {
      let ready!: () => void;
      acknowledged.push(new Promise<void>((resolve) => (ready = resolve)));
      this.clients.push(
        createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          lazy: false,
          retryAttempts: 0,
          onNonLazyError: (error) => this.failed(error),
          // A socket that closes before its acknowledgement is reported by onNonLazyError; waiting for it would hang.
          on: { connected: () => ready(), closed: () => ready() },
        }),
      );
    }
    this.connected = Promise.all(acknowledged).then(() => undefined);
  }

  /** Starts a subscription per stream; the server's /metrics tells when they are all active. */
  subscribe(streamIds: string[]): void {
    streamIds.forEach((streamId, index) => {
      const client = this.clients[index % this.clients.length]!;
      this.disposers.push(
        client.subscribe(
          { query: SUBSCRIBE, variables: { streamId } },
          {
            next: (result) => this.record(result as { data?: { byStream?: { data?: { sentAt?: number } } } }),
            error: (error) => this.failed(error),
            complete: () => undefined,
          },
        ),
      );
    });
  }

  private readonly failures = new Map<string, number>();

  /** Thousands of subscriptions fail alike when a socket goes: each kind of failure is printed once. */
  private failed(error: unknown): void {
    const why = describeFailure(error);
    const seen = this.failures.get(why) ?? 0;
    this.failures.set(why, seen + 1);
    if (seen === 0) console.error(`subscription failed: ${why} (further failures like it are not printed)`);
  }

  private record(result: { data?: { byStream?: { data?: { sentAt?: number } } } }): void {
    const sentAt = result.data?.byStream?.data?.sentAt;
    // Events appended before the last reset (the warm-up) may still be arriving: they do not count.
    if (typeof sentAt !== 'number' || sentAt < this.since) return;
    this.delivered++;
    this.latencies.push(now() - sentAt);
  }

  /** Forgets what was delivered so far, and counts only events appended from now on (after a warm-up). */
  reset(): void {
    this.latencies = [];
    this.delivered = 0;
    this.since = now();
  }

  async close(): Promise<void> {
    for (const dispose of this.disposers) dispose();
    await Promise.all(this.clients.map((client) => client.dispose()));
  }
}

/** Milliseconds on a clock shared by the appender and the subscribers of this process. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** graphql-ws fails a subscription with GraphQL errors, a CloseEvent, or an Error. */
function describeFailure(error: unknown): string {
  if (Array.isArray(error)) return error.map((each: { message?: string }) => each.message).join('; ');
  if (error instanceof Error) return error.message;
  const { code, reason } = error as { code?: number; reason?: string };
  if (typeof code === 'number') return `the socket closed (${code}${reason ? ` ${reason}` : ''})`;
  return String(error);
}
