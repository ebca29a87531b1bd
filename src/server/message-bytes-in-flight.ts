import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { BytesInFlight } from './bytes-in-flight.js';

/** WebSocket close code 1013: try again later. */
const TRY_AGAIN_LATER = 1013;

/** What ws's receiver holds of a message not yet whole; fields of its own, read because ws tells nothing of them. */
interface ReceiverState {
  /** Bytes read from the socket and not yet taken into a whole frame. */
  _bufferedBytes: number;
  /** The payloads of the message's frames taken in so far, when it comes in fragments. */
  _fragments: Buffer[];
}

/** The receiver of a ws socket, or undefined if ws no longer has the fields this counts by. */
function receiverStateOf(socket: WebSocket): ReceiverState | undefined {
  const receiver = (socket as unknown as { _receiver?: Partial<ReceiverState> })._receiver;
  if (typeof receiver?._bufferedBytes !== 'number' || !Array.isArray(receiver._fragments)) return undefined;
  return receiver as ReceiverState;
}

function heldBytes(receiver: ReceiverState): number {
  let held = receiver._bufferedBytes;
  for (const fragment of receiver._fragments) held += fragment.length;
  return held;
}

/**
 * Counts what a socket holds of the message it is receiving against the
 * bytes all requests may hold while they arrive, as each chunk comes. A
 * socket whose message would pass the bound is closed with 1013 (try again
 * later). Without it, 94 sockets that each sent 16 MiB of a message in a
 * first fragment held 2.4 GB of the gateway's memory for as long as they
 * stayed open (with pongs between fragments, the keep-alive does not end them).
 */
export function countMessageBytesInFlight(socket: WebSocket, inFlight: BytesInFlight): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  const receiver = receiverStateOf(socket);
  if (!raw || !receiver) return;
  let counted = 0;
  const count = () => {
    const held = heldBytes(receiver);
    if (held <= counted) {
      inFlight.give(counted - held);
      counted = held;
      return;
    }
    if (inFlight.take(held - counted)) {
      counted = held;
      return;
    }
    raw.off('data', count);
    inFlight.refusals.websocket++;
    socket.close(TRY_AGAIN_LATER, 'the messages under way hold too much (GATER_MAX_REQUEST_BYTES_IN_FLIGHT): retry shortly');
    // What it holds goes at once, not after the close handshake: a client still sending may see its connection reset instead.
    setImmediate(() => socket.terminate());
  };
  // After ws's own listener (set when it took the socket over): the receiver has taken in the chunk.
  raw.on('data', count);
  socket.once('close', () => {
    inFlight.give(counted);
    counted = 0;
  });
}
