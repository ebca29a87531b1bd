import { createHash } from 'node:crypto';
import type { SnapshotKey } from '../store/snapshots/types.js';
import { badUserInput } from './errors.js';
import { checkText } from './validate.js';

/**
 * Cursors are opaque to clients: a kind and a key, base64url-encoded. The
 * kind stops a cursor of one connection from being used on another. A
 * stream's versions are its own: its cursors' kind names the stream.
 */
type StreamVersionKind = `version@${string}`;
type NumberCursorKind = 'position' | StreamVersionKind;
type CursorKind = NumberCursorKind | 'stream' | 'snapshot';

/**
 * The kind of one stream's cursors: `version@` and 48 bits of a hash of its store and id. A cursor of
 * another stream (or of the same id in another store) is refused instead of paging this stream from
 * the other's version.
 */
export function streamVersionKind(storeId: string, streamId: string): StreamVersionKind {
  return `version@${createHash('sha256').update(storeId).update('\u0000').update(streamId).digest('base64url').slice(0, 8)}`;
}


function notACursor(field: string) {
  return badUserInput(field, 'is not a cursor of this connection');
}

export function encodeCursor(kind: CursorKind, key: string | number): string {
  return Buffer.from(`${kind}:${key}`).toString('base64url');
}

/** Longer than any cursor the gateway makes (a snapshot's holds two names of up to 255 characters, escaped). */
const MAX_CURSOR_LENGTH = 8192;

export function decodeCursor(field: string, kind: CursorKind, cursor: string): string {
  if (cursor.length > MAX_CURSOR_LENGTH) throw notACursor(field);
  const text = Buffer.from(cursor, 'base64url').toString();
  const prefix = `${kind}:`;
  if (!text.startsWith(prefix)) throw notACursor(field);
  return text.slice(prefix.length);
}

/** Largest value each numeric cursor can hold: versions are PostgreSQL integers, positions safe JS integers. */
export const CURSOR_MAX = { version: 2 ** 31 - 1, position: Number.MAX_SAFE_INTEGER } as const;

export function cursorMax(kind: NumberCursorKind): number {
  return kind === 'position' ? CURSOR_MAX.position : CURSOR_MAX.version;
}

export function decodeNumberCursor(field: string, kind: NumberCursorKind, cursor: string): number {
  const key = decodeCursor(field, kind, cursor);
  const value = Number(key);
  if (!/^\d{1,16}$/.test(key) || value > cursorMax(kind)) throw notACursor(field);
  return value;
}

/** A snapshot's key as a JSON array, so that ids holding any character (a colon, a quote) stay unambiguous. */
export function encodeSnapshotCursor(key: SnapshotKey): string {
  return encodeCursor('snapshot', JSON.stringify([key.sourceUuid, key.streamUuid, key.version]));
}

export function decodeSnapshotCursor(field: string, cursor: string): SnapshotKey {
  let key: unknown;
  try {
    key = JSON.parse(decodeCursor(field, 'snapshot', cursor));
  } catch (error) {
    if (error instanceof SyntaxError) throw notACursor(field);
    throw error;
  }
  if (!Array.isArray(key) || key.length !== 3) throw notACursor(field);
  const [sourceUuid, streamUuid, version] = key as unknown[];
  if (typeof sourceUuid !== 'string' || typeof streamUuid !== 'string') throw notACursor(field);
  if (!Number.isInteger(version) || (version as number) < 0 || (version as number) > CURSOR_MAX.version) throw notACursor(field);
  return { sourceUuid: checkText(field, sourceUuid), streamUuid: checkText(field, streamUuid), version: version as number };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function toConnection<T>(items: T[], hasMore: boolean, cursorOf: (item: T) => string): Connection<T> {
  const edges = items.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: hasMore,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export function emptyConnection<T>(): Connection<T> {
  return toConnection<T>([], false, () => '');
}
