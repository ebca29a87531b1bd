import net from 'node:net';

/**
 * A TCP proxy in front of one PostgreSQL server, for the faults a network
 * makes: answers lost on the way, connections cut, some clients refused.
 */
export interface TcpProxy {
  port: number;
  /** The URL with its host and port replaced by the proxy's. */
  via(url: string): string;
  /**
   * From now on, on any connection that sends a request containing `marker`, drops what the
   * server answers from then on (the request still reaches it): an answer lost on the way.
   */
  dropRepliesAfter(marker: string): void;
  /** Cuts every connection open now; new ones pass normally again. */
  cutAll(): void;
  /**
   * Cuts the connections whose startup message contains `marker` (for instance
   * `application_name\0gater\0`, the gateway's pool) and refuses new ones like them.
   */
  refuse(marker: string): void;
  /** Connections refused so far. */
  readonly refused: number;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  server: net.Socket;
  startup: Buffer;
  dropping: boolean;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let dropMarker: string | undefined;
  let refusedMarker: string | undefined;
  let refused = 0;

  const cut = (pair: Pair) => {
    pair.client.destroy();
    pair.server.destroy();
    pairs.delete(pair);
  };
  const isRefused = (pair: Pair) => refusedMarker !== undefined && pair.startup.includes(refusedMarker);

  const listener = net.createServer((client) => {
    const server = net.connect(targetPort, '127.0.0.1');
    const pair: Pair = { client, server, startup: Buffer.alloc(0), dropping: false };
    pairs.add(pair);
    client.on('data', (chunk) => {
      if (pair.startup.length === 0) {
        pair.startup = chunk;
        if (isRefused(pair)) {
          refused += 1;
          cut(pair);
          return;
        }
      }
      if (dropMarker !== undefined && chunk.includes(dropMarker)) pair.dropping = true;
      server.write(chunk);
    });
    server.on('data', (chunk) => {
      if (!pair.dropping) client.write(chunk);
    });
    for (const socket of [client, server]) {
      socket.on('error', () => cut(pair));
      socket.on('close', () => cut(pair));
    }
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;

  return {
    port,
    via(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    dropRepliesAfter(marker) {
      dropMarker = marker;
    },
    cutAll() {
      dropMarker = undefined;
      for (const pair of [...pairs]) cut(pair);
    },
    refuse(marker) {
      refusedMarker = marker;
      for (const pair of [...pairs]) if (isRefused(pair)) cut(pair);
    },
    get refused() {
      return refused;
    },
    async close() {
      for (const pair of [...pairs]) cut(pair);
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
