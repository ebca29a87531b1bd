import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import { limitExceeded } from '../resolvers/errors.js';
import type { BytesInFlight } from './bytes-in-flight.js';
import { bodyTooLarge } from './use-body-limit.js';

/** A request's body, or why it was refused: past the largest body, or past what requests may hold at once. */
export type CountedBody = { ok: true; body: Buffer } | { ok: false; error: GraphQLError };

const REQUEST_BYTES_LIMIT = 'GATER_MAX_REQUEST_BYTES_IN_FLIGHT';

/** The answer to a body that would take the requests arriving past `GATER_MAX_REQUEST_BYTES_IN_FLIGHT`: 503, to retry. */
function requestBytesExceeded(maxBytes: number): GraphQLError {
  return limitExceeded(
    REQUEST_BYTES_LIMIT,
    `the requests arriving hold up to ${maxBytes} bytes of bodies and messages, and this one's would pass that: retry shortly`,
    { http: { status: 503, headers: { 'Retry-After': '1' } } },
  );
}

/** Whether the client waits for `100 Continue` before it sends the body. */
export function expectsContinue(req: IncomingMessage): boolean {
  return req.headers.expect?.toLowerCase() === '100-continue';
}

/**
 * Why a request's body is refused before any of it is read, if it is: its
 * stated length is past `maxBodyBytes`; or its client waits for
 * `100 Continue`, and what it states (at least a byte) would not fit in the
 * bound now. Such a client is answered instead of continued, and sends
 * nothing: continued, it would upload a body only to have it dropped.
 */
export function refusalBeforeBody(req: IncomingMessage, maxBodyBytes: number, inFlight: BytesInFlight): GraphQLError | undefined {
  const stated = Number(req.headers['content-length']);
  if (stated > maxBodyBytes) return bodyTooLarge(maxBodyBytes);
  if (expectsContinue(req) && !inFlight.hasRoomFor(stated > 0 ? stated : 1)) return requestBytesExceeded(inFlight.maxBytes);
  return undefined;
}

/**
 * Reads a request's body, counting each chunk as it arrives against what all
 * requests may hold at once until the body has arrived whole. Settles as soon
 * as the body is refused: at once when `refusalBeforeBody` says so, or at the
 * chunk that takes it past `maxBodyBytes` (413) or takes the requests
 * arriving past the bound (503); what comes after is read and
 * dropped, so the connection serves on. Without the count, clients that each
 * sent a body of the largest size allowed, all but its last byte, held 16 MiB
 * of the gateway's memory apiece for as long as Node waits for a request
 * (five minutes): 300 of them took 5 GB.
 */
export function readCountedBody(req: IncomingMessage, maxBodyBytes: number, inFlight: BytesInFlight): Promise<CountedBody> {
  const early = refusalBeforeBody(req, maxBodyBytes, inFlight);
  if (early) {
    if (early.extensions.limit === REQUEST_BYTES_LIMIT) inFlight.refusals.http++;
    return Promise.resolve({ ok: false, error: early });
  }
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let taken = 0;
    let refused = false;
    const giveBack = () => {
      inFlight.give(taken);
      taken = 0;
    };
    const refuse = (error: GraphQLError) => {
      refused = true;
      chunks = [];
      giveBack();
      resolve({ ok: false, error });
    };
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      if (taken + chunk.length > maxBodyBytes) return refuse(bodyTooLarge(maxBodyBytes));
      if (!inFlight.take(chunk.length)) {
        inFlight.refusals.http++;
        return refuse(requestBytesExceeded(inFlight.maxBytes));
      }
      taken += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      giveBack();
      if (!refused) resolve({ ok: true, body: Buffer.concat(chunks) });
    });
    req.on('error', (error) => {
      giveBack();
      reject(error);
    });
    // A connection that closes without either (a pipelined request never answered) gives back what it took too.
    req.on('close', giveBack);
  });
}
