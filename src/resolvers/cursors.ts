import { badUserInput } from './errors.js';

/**
 * Cursors are opaque to clients: a kind and a key, base64url-encoded. The
 * kind stops a cursor of one connection from being used on another.
 */
type CursorKind = 'version' | 'position' | 'stream';

export function encodeCursor(kind: CursorKind, key: string | number): string {
  return Buffer.from(`${kind}:${key}`).toString('base64url');
}

export function decodeCursor(field: string, kind: CursorKind, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString();
  const prefix = `${kind}:`;
  if (!text.startsWith(prefix)) throw badUserInput(field, 'is not a cursor of this connection');
  return text.slice(prefix.length);
}

/** Largest value each numeric cursor can hold: versions are PostgreSQL integers, positions safe JS integers. */
export const CURSOR_MAX = { version: 2 ** 31 - 1, position: Number.MAX_SAFE_INTEGER } as const;

export function decodeNumberCursor(field: string, kind: 'version' | 'position', cursor: string): number {
  const key = decodeCursor(field, kind, cursor);
  const value = Number(key);
  if (!/^\d{1,16}$/.test(key) || value > CURSOR_MAX[kind]) throw badUserInput(field, 'is not a cursor of this connection');
  return value;
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
