import net from 'node:net';
import type pg from 'pg';

/** PostgreSQL's CancelRequest code: 1234 in the high 16 bits, 5678 in the low. */
const CANCEL_REQUEST_CODE = 80877102;
const CANCEL_CONNECT_TIMEOUT_MS = 2_000;

interface BackendKey {
  host: string;
  port: number;
  processID: number | null;
  secretKey: number | null;
}

/**
 * Asks the server to cancel what a connection's backend is running, over a
 * connection of its own, as libpq's PQcancel does. A statement waiting for a
 * lock is aborted; a commit waiting for a synchronous standby stops waiting
 * (it stays committed on the primary). Best effort: a server that cannot be
 * reached is not asked.
 */
export function sendCancelRequest(client: pg.PoolClient | pg.Client): void {
  const { host, port, processID, secretKey } = client as unknown as BackendKey;
  if (processID === null || secretKey === null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = host.startsWith('/') ? net.connect(`${host}/.s.PGSQL.${port}`) : net.connect(port, host);
  socket.on('error', () => undefined);
  socket.setTimeout(CANCEL_CONNECT_TIMEOUT_MS, () => socket.destroy());
  socket.once('connect', () => socket.end(packet));
}
