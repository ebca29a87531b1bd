import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header a client may name its request by, and the gateway answers the id in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Longest id taken from a client. */
const MAX_LENGTH = 128;

/** What a log line may carry as it is: letters, digits, and the punctuation of UUIDs, trace ids and base64. */
const SAFE = /^[A-Za-z0-9._:+=/@-]+$/;

const ID = Symbol('request id');

type Identified = IncomingMessage & { [ID]?: string };

/** The client's id when it is one line of safe characters, at most 128 of them; else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const sent = Array.isArray(header) ? header[0] : header;
  return sent !== undefined && sent.length <= MAX_LENGTH && SAFE.test(sent) ? sent : randomUUID();
}

/** Names the request (as its client did, when it did), answers the id in the response header, and keeps it with the request. */
export function identifyRequest(req: IncomingMessage, res: ServerResponse | undefined): string {
  const id = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  (req as Identified)[ID] = id;
  res?.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The id `identifyRequest` gave the request. */
export function requestIdOf(req: IncomingMessage | undefined): string | undefined {
  return (req as Identified | undefined)?.[ID];
}
