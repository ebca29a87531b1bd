import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { limitExceeded } from '../resolvers/errors.js';
import type { BytesInFlight } from './bytes-in-flight.js';

type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** The answer to a request whose body would take the gateway past `GATER_MAX_REQUEST_BYTES_IN_FLIGHT`. */
function bodiesInFlightExceeded(maxBytes: number): GraphQLError {
  return limitExceeded(
    'GATER_MAX_REQUEST_BYTES_IN_FLIGHT',
    `the requests under way hold up to ${maxBytes} bytes of bodies and messages, and this one's would pass that: retry shortly`,
  );
}

/** The bytes a request's body may take: its stated length, or the largest body when it comes in chunks of no stated length. */
function bodyBytesOf(req: IncomingMessage, maxBodyBytes: number): number {
  const stated = req.headers['content-length'];
  if (stated !== undefined) return Math.min(Number(stated) || 0, maxBodyBytes);
  return req.headers['transfer-encoding'] === undefined ? 0 : maxBodyBytes;
}

export interface BodyBudgetOptions {
  /** What all requests under way hold (`GATER_MAX_REQUEST_BYTES_IN_FLIGHT`), WebSocket messages too. */
  inFlight: BytesInFlight;
  /** Largest body of one request (`GATER_MAX_BODY_BYTES`): what a body of no stated length may take. */
  maxBodyBytes: number;
  /** Told of each refusal, to log it. */
  refused: (req: IncomingMessage, errors: readonly GraphQLError[]) => void;
}

/**
 * Bounds the request bodies the gateway holds at once, whatever path reads
 * them. Each request counts what its body may take from its arrival until its
 * answer is written (or its connection is gone); a request that would take the
 * count past the bound is answered 503 with `LIMIT_EXCEEDED` and a
 * Retry-After, and its body is read and dropped as it comes. Without it, clients that each send a body of the largest size
 * allowed, all but its last byte, held some 16 MiB of the gateway's memory
 * apiece for as long as Node waits for a request (five minutes): 300 of them
 * took 5 GB.
 *
 * An SSE stream counts its body until the body is read: the stream itself
 * may last for hours.
 */
export function withBodyBudget({ inFlight, maxBodyBytes, refused }: BodyBudgetOptions, listener: NodeListener): NodeListener {
  return (req, res) => {
    const bytes = bodyBytesOf(req, maxBodyBytes);
    if (bytes === 0) return listener(req, res);
    if (!inFlight.take(bytes)) {
      const errors = [bodiesInFlightExceeded(inFlight.maxBytes)];
      refused(req, errors);
      const json = JSON.stringify({ errors });
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'retry-after': '1' });
      res.end(json);
      // Read and dropped: closing the connection with its bytes unread would reset it before the client reads the answer.
      req.resume();
      return;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight.give(bytes);
    };
    res.once('close', release);
    if (req.headers.accept?.includes('text/event-stream')) req.once('end', release);
    listener(req, res);
  };
}
