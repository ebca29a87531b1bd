import { describe, expect, it } from 'vitest';
import {
  CURSOR_MAX,
  decodeCursor,
  decodeNumberCursor,
  decodeSnapshotCursor,
  emptyConnection,
  encodeCursor,
  encodeSnapshotCursor,
  streamVersionKind,
  toConnection,
} from '../../src/resolvers/cursors.js';
import { rejection } from '../support/rejection.js';

/** What a client could send by hand: any text, base64url-encoded as the gateway's cursors are. */
const forged = (text: string) => Buffer.from(text).toString('base64url');
/** The cursors of stream order-1 in store default. */
const VERSION = streamVersionKind('default', 'order-1');
const notACursor = { code: 'BAD_USER_INPUT', field: 'after', message: 'after: is not a cursor of this connection' };

describe('cursors', () => {
  it('give back the key they were made from', () => {
    expect(decodeNumberCursor('after', VERSION, encodeCursor(VERSION, 7))).toBe(7);
    expect(decodeNumberCursor('after', 'position', encodeCursor('position', 0))).toBe(0);
    expect(decodeCursor('after', 'stream', encodeCursor('stream', 'order:1/ü'))).toBe('order:1/ü');
  });

  it('refuse a cursor of another connection', () => {
    expect(rejection(() => decodeNumberCursor('after', 'position', encodeCursor(VERSION, 7)))).toEqual(notACursor);
    expect(rejection(() => decodeNumberCursor('after', VERSION, encodeCursor('position', 7)))).toEqual(notACursor);
    expect(rejection(() => decodeNumberCursor('after', VERSION, encodeCursor(streamVersionKind('default', 'order-2'), 7)))).toEqual(notACursor);
    expect(rejection(() => decodeNumberCursor('after', VERSION, encodeCursor(streamVersionKind('other', 'order-1'), 7)))).toEqual(notACursor);
    expect(rejection(() => decodeCursor('after', 'stream', encodeCursor('snapshot', '[]')))).toEqual(notACursor);
    expect(rejection(() => decodeCursor('after', 'stream', 'not base64 at all!'))).toEqual(notACursor);
  });

  it('take only plain decimal numbers as keys', () => {
    for (const key of ['', '-1', '1.5', '1e3', ' 1', '0x10', '12345678901234567']) {
      expect(rejection(() => decodeNumberCursor('after', 'position', forged(`position:${key}`)))).toEqual(notACursor);
    }
  });

  it('take keys up to the largest each kind can hold, and no further', () => {
    expect(decodeNumberCursor('after', VERSION, forged(`${VERSION}:${CURSOR_MAX.version}`))).toBe(2 ** 31 - 1);
    expect(rejection(() => decodeNumberCursor('after', VERSION, forged(`${VERSION}:${2 ** 31}`)))).toEqual(notACursor);
    expect(decodeNumberCursor('after', 'position', forged(`position:${Number.MAX_SAFE_INTEGER}`))).toBe(Number.MAX_SAFE_INTEGER);
    expect(rejection(() => decodeNumberCursor('after', 'position', forged(`position:${Number.MAX_SAFE_INTEGER + 1}`)))).toEqual(notACursor);
  });
});

describe('snapshot cursors', () => {
  it('give back ids holding any character', () => {
    const key = { sourceUuid: 'a:"b"', streamUuid: 'c\\d]', version: 3 };
    expect(decodeSnapshotCursor('after', encodeSnapshotCursor(key))).toEqual(key);
  });

  it('refuse keys that are not [source, stream, version] with a version in range', () => {
    for (const json of ['{', '{}', '["a","b"]', '["a","b",1,2]', '[1,"b",1]', '["a","b",-1]', '["a","b",1.5]', `["a","b",${2 ** 31}]`]) {
      expect(rejection(() => decodeSnapshotCursor('after', forged(`snapshot:${json}`)))).toEqual(notACursor);
    }
    expect(rejection(() => decodeSnapshotCursor('after', encodeCursor(VERSION, 1)))).toEqual(notACursor);
  });

  it('refuse ids PostgreSQL cannot store', () => {
    expect(rejection(() => decodeSnapshotCursor('after', forged('snapshot:["a\\u0000","b",1]'))).code).toBe('BAD_USER_INPUT');
  });
});

describe('toConnection', () => {
  it('gives each edge its cursor, and the page its first and last', () => {
    const connection = toConnection([3, 4, 5], true, (item) => `c${item}`);
    expect(connection.edges.map((edge) => edge.cursor)).toEqual(['c3', 'c4', 'c5']);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: 'c3', endCursor: 'c5' });
  });

  it('has no cursors when empty', () => {
    expect(emptyConnection().pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });
});
