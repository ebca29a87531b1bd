import type net from 'node:net';
import WebSocket from 'ws';

/** What an operation's messages go to: each `next` payload, then an error or the end. */
export interface LeanSink {
  next(payload: { data?: Record<string, unknown> | null; errors?: unknown }): void;
  error(error: unknown): void;
}

/**
 * A load generator's graphql-ws client: the graphql-transport-ws protocol
 * over one `ws` socket and nothing else (no validation of messages, retries,
 * lazy connects), which writes what it sends in one turn of the event loop
 * in one write, as the gateway does its answers. The bench shares the
 * machine's two cores with the gateway and PostgreSQL, so it must not
 * measure its own client, as wrk stands in for HTTP clients.
 */
export class LeanGraphqlWs {
  private readonly socket: WebSocket;
  private readonly sinks = new Map<string, LeanSink>();
  private nextId = 0;
  private corked = false;
  private failure: unknown;
  /** Settles once the server acknowledged the connection. */
  readonly connected: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('open', () => this.socket.send('{"type":"connection_init"}'));
      this.socket.once('error', reject);
      this.socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString()) as Message;
        if (message.type === 'connection_ack') resolve();
        else this.received(message);
      });
    });
    this.socket.once('close', (code, reason) => this.fail(new Error(`socket closed: ${code} ${reason.toString()}`)));
  }

  get failed(): unknown {
    return this.failure;
  }

  /** Starts an operation; its sink gets what the server sends for it. */
  subscribe(query: string, variables: Record<string, unknown>, sink: LeanSink): void {
    const id = String(this.nextId++);
    this.sinks.set(id, sink);
    this.corkUntilTurnEnds();
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  close(): Promise<void> {
    this.sinks.clear();
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
    this.socket.close(1000);
    return closed;
  }

  private received(message: Message): void {
    if (message.type === 'ping') return this.socket.send('{"type":"pong"}');
    const sink = message.id === undefined ? undefined : this.sinks.get(message.id);
    if (!sink) return;
    if (message.type === 'next') return sink.next(message.payload as Parameters<LeanSink['next']>[0]);
    this.sinks.delete(message.id!);
    if (message.type === 'error') sink.error(message.payload);
  }

  /** A write per message would cost the bench a syscall per ack. */
  private corkUntilTurnEnds(): void {
    // ws keeps its TCP socket private; it is there once the socket is open.
    const transport = (this.socket as unknown as { _socket?: net.Socket })._socket;
    if (this.corked || !transport) return;
    this.corked = true;
    transport.cork();
    setImmediate(() => {
      this.corked = false;
      transport.uncork();
    });
  }

  private fail(error: unknown): void {
    if (this.sinks.size === 0) return;
    this.failure ??= error;
    for (const sink of this.sinks.values()) sink.error(error);
    this.sinks.clear();
  }
}

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}
