import { beforeAll, describe, expect, it } from 'vitest';
import {
  DELETE_SNAPSHOT,
  RECORD_SNAPSHOT,
  SNAPSHOT,
  SNAPSHOT_FIELDS,
  SNAPSHOTS_PAGE,
  STREAMS_PAGE,
  type DeleteSnapshotData,
  type RecordSnapshotData,
  type RecordSnapshotInput,
  type SnapshotData,
  type SnapshotView,
  type SnapshotsPageData,
  type StreamsPageData,
} from '../support/queries.js';
import { dataOf, type GraphQLResponse } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const MAX_BYTES = 1024;

/**
 * One gateway, three stores: `main` for most tests (each under its own
 * source uuids), `listing` holding only the fixture below, and `other` for
 * isolation between stores.
 */
const gw = useGateway({ stores: ['main', 'listing', 'other'], env: { GATER_MAX_EVENT_BYTES: String(MAX_BYTES) } });

type Key = [sourceUuid: string, streamUuid: string, version: number];

/** The `listing` store's snapshots, recorded in this (unordered) order. */
const FIXTURE: Key[] = [
  ['src-b', 'st-3', 4], ['src-a', 'st-1', 5], ['src-c', 'st-2', 0], ['src-b', 'st-1', 2],
  ['src-a', 'st-2', 3], ['src-b', 'st-3', 12], ['src-a', 'st-1', 10], ['src-b', 'st-1', 7],
  ['src-a', 'st-1', 0], ['src-b', 'st-3', 1], ['src-b', 'st-3', 9], ['src-c', 'st-1', 6],
];

/** Bytewise, as PostgreSQL's "C" collation compares. */
const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The listing order: source, stream, then version newest first. */
function listingOrder(keys: Key[]): Key[] {
  return [...keys].sort((a, b) => bytewise(a[0], b[0]) || bytewise(a[1], b[1]) || b[2] - a[2]);
}

beforeAll(async () => {
  for (const [sourceUuid, streamUuid, version] of FIXTURE) {
    await record({ store: 'listing', sourceUuid, streamUuid, version, data: { at: version } });
  }
});

async function record(input: RecordSnapshotInput): Promise<SnapshotView> {
  return dataOf(await gw.gql<RecordSnapshotData>(RECORD_SNAPSHOT, { input })).recordSnapshot;
}

type KeyArgs = { store?: string; sourceUuid: string; streamUuid: string };

async function read(args: KeyArgs & { version?: number }): Promise<SnapshotView | null> {
  return dataOf(await gw.gql<SnapshotData>(SNAPSHOT, args)).snapshot;
}

async function remove(args: KeyArgs & { version: number }): Promise<boolean> {
  return dataOf(await gw.gql<DeleteSnapshotData>(DELETE_SNAPSHOT, args)).deleteSnapshot;
}

type ListArgs = { store?: string; sourceUuid?: string; streamUuid?: string; first?: number; after?: string | null };

async function page(args: ListArgs) {
  return dataOf(await gw.gql<SnapshotsPageData>(SNAPSHOTS_PAGE, args)).snapshots;
}

/** Follows `after` from the first page to the last; answers every page. */
async function pages(args: ListArgs) {
  const all = [await page(args)];
  while (all[all.length - 1]!.pageInfo.hasNextPage) {
    // A cursor that fails to move on would page forever.
    if (all.length > 100) throw new Error(`still paging after ${all.length} pages`);
    all.push(await page({ ...args, after: all[all.length - 1]!.pageInfo.endCursor }));
  }
  return all;
}

const keysOf = (connection: { edges: { node: SnapshotView }[] }): Key[] =>
  connection.edges.map(({ node }) => [node.sourceUuid, node.streamUuid, node.version]);

function expectBadUserInput(response: GraphQLResponse<unknown>, field: string): void {
  expect(response.errors?.map((error) => [error.extensions?.code, error.extensions?.field]), JSON.stringify(response)).toEqual([
    ['BAD_USER_INPUT', field],
  ]);
  expect(response.errors![0]!.message).toContain(field);
}

describe('recordSnapshot', () => {
  it('answers the snapshot as stored, and snapshot reads the same back', async () => {
    const input = {
      sourceUuid: 'rec-1',
      streamUuid: 'order-1',
      version: 3,
      sourceType: 'Order',
      data: { total: 1999, lines: [{ sku: 'a', qty: 2 }] },
      metadata: { correlationId: 'c-1' },
    };
    const recorded = await record(input);
    expect(recorded).toEqual({ ...input, created: recorded.created, createdEpoch: recorded.createdEpoch });
    expect(await read({ sourceUuid: 'rec-1', streamUuid: 'order-1', version: 3 })).toEqual(recorded);
  });

  it('gives created to the microsecond, and createdEpoch in microseconds since the epoch', async () => {
    const { created, createdEpoch } = await record({ sourceUuid: 'rec-2', streamUuid: 's', version: 0, data: {} });
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(created)).toBe(Math.floor(createdEpoch / 1000));
    expect(created.slice(20, 26)).toBe(String(createdEpoch % 1_000_000).padStart(6, '0'));
    // Microseconds, not milliseconds or seconds: within an hour of this machine's clock.
    expect(Math.abs(createdEpoch - Date.now() * 1000)).toBeLessThan(3_600 * 1_000_000);
  });

  it('leaves sourceType and metadata null when they are not given', async () => {
    const recorded = await record({ sourceUuid: 'rec-3', streamUuid: 's', version: 0, data: [1, 'two', null] });
    expect(recorded).toMatchObject({ sourceType: null, metadata: null, data: [1, 'two', null] });
  });

  it('recording the same key again replaces the snapshot and moves its created time', async () => {
    const key = { sourceUuid: 'rec-4', streamUuid: 's', version: 2 };
    const first = await record({ ...key, sourceType: 'Old', data: { n: 1 }, metadata: { m: 1 } });
    const second = await record({ ...key, data: { n: 2 } });

    expect(second).toMatchObject({ ...key, sourceType: null, data: { n: 2 }, metadata: null });
    expect(second.createdEpoch).toBeGreaterThan(first.createdEpoch);
    expect(await read(key)).toEqual(second);
    expect(await read({ sourceUuid: key.sourceUuid, streamUuid: key.streamUuid })).toEqual(second);
    expect(keysOf(await page({ sourceUuid: key.sourceUuid }))).toEqual([['rec-4', 's', 2]]);
  });

  it('takes any string of 1 to 255 characters as a uuid, UUID or not', async () => {
    const keys = [
      { sourceUuid: '8c7a3c4e-2f1b-4b8e-9a55-2d1f4f0b6c11', streamUuid: 'b7f2d6b0-5d0e-4c41-8a9d-3b3e0d4c2a77' },
      { sourceUuid: 'x'.repeat(255), streamUuid: 'y'.repeat(255) },
      { sourceUuid: 'order:42 "quoted", \\ back', streamUuid: 'ünïcödé 💥' },
    ];
    for (const key of keys) {
      expect(await record({ ...key, version: 1, data: { key } })).toMatchObject({ ...key, version: 1, data: { key } });
      expect(await read(key)).toMatchObject({ ...key, version: 1, data: { key } });
    }
  });
});

describe('snapshot', () => {
  const key = { sourceUuid: 'read-1', streamUuid: 'account-7' };
  beforeAll(async () => {
    // Not recorded in version order: the latest is the highest version, not the last recorded.
    for (const version of [3, 10, 7]) await record({ ...key, version, data: { version } });
  });

  it('without a version answers the highest version', async () => {
    expect(await read(key)).toMatchObject({ ...key, version: 10, data: { version: 10 } });
  });

  it('with a version answers exactly that version', async () => {
    for (const version of [3, 7, 10]) expect(await read({ ...key, version })).toMatchObject({ ...key, version, data: { version } });
  });

  it('is null for a version that was never recorded, even with older ones below it', async () => {
    expect(await read({ ...key, version: 8 })).toBeNull();
    expect(await read({ ...key, version: 11 })).toBeNull();
    expect(await read({ ...key, version: 0 })).toBeNull();
  });

  it('is null for an unknown source or stream', async () => {
    expect(await read({ sourceUuid: 'read-1', streamUuid: 'nope' })).toBeNull();
    expect(await read({ sourceUuid: 'nope', streamUuid: 'account-7' })).toBeNull();
    expect(await read({ sourceUuid: 'nope', streamUuid: 'account-7', version: 3 })).toBeNull();
  });

  it('answers many snapshots asked in one request, latest and exact, found or not', async () => {
    const response = await gw.gql<Record<string, SnapshotView | null>>(
      /* GraphQL */ `
        query Many {
          latest: snapshot(sourceUuid: "read-1", streamUuid: "account-7") { ...SnapshotFields }
          latestAgain: snapshot(sourceUuid: "read-1", streamUuid: "account-7") { ...SnapshotFields }
          v3: snapshot(sourceUuid: "read-1", streamUuid: "account-7", version: 3) { ...SnapshotFields }
          v10: snapshot(sourceUuid: "read-1", streamUuid: "account-7", version: 10) { ...SnapshotFields }
          v8: snapshot(sourceUuid: "read-1", streamUuid: "account-7", version: 8) { ...SnapshotFields }
          missing: snapshot(sourceUuid: "read-1", streamUuid: "nope") { ...SnapshotFields }
          elsewhere: snapshot(store: "listing", sourceUuid: "src-b", streamUuid: "st-3") { ...SnapshotFields }
        }
        ${SNAPSHOT_FIELDS}
      `,
    );
    const data = dataOf(response);
    expect(data.latest).toMatchObject({ version: 10 });
    expect(data.latestAgain).toEqual(data.latest);
    expect(data.v10).toEqual(data.latest);
    expect(data.v3).toMatchObject({ ...key, version: 3, data: { version: 3 } });
    expect(data.v8).toBeNull();
    expect(data.missing).toBeNull();
    expect(data.elsewhere).toMatchObject({ sourceUuid: 'src-b', streamUuid: 'st-3', version: 12 });
  });
});

describe('snapshots', () => {
  const ordered = listingOrder(FIXTURE);
  const filters: [string, { sourceUuid?: string; streamUuid?: string }, (key: Key) => boolean][] = [
    ['no filter', {}, () => true],
    ['a source', { sourceUuid: 'src-b' }, ([source]) => source === 'src-b'],
    ['a stream', { streamUuid: 'st-1' }, ([, stream]) => stream === 'st-1'],
    ['a source and a stream', { sourceUuid: 'src-a', streamUuid: 'st-1' }, ([source, stream]) => source === 'src-a' && stream === 'st-1'],
  ];

  it('the fixture orders as the tests expect', () => {
    expect(ordered.slice(0, 5)).toEqual([
      ['src-a', 'st-1', 10],
      ['src-a', 'st-1', 5],
      ['src-a', 'st-1', 0],
      ['src-a', 'st-2', 3],
      ['src-b', 'st-1', 7],
    ]);
  });

  it.each(filters)('with %s, lists by sourceUuid, streamUuid, then version newest first', async (_name, filter, keep) => {
    const connection = await page({ store: 'listing', ...filter });
    expect(keysOf(connection)).toEqual(ordered.filter(keep));
    expect(connection.pageInfo.hasNextPage).toBe(false);
    expect(connection.edges.map(({ node }) => node.data)).toEqual(ordered.filter(keep).map(([, , version]) => ({ at: version })));
  });

  it.each(filters)('with %s, pages of 2 concatenate to the whole list, hasNextPage false only on the last', async (_name, filter, keep) => {
    const all = await pages({ store: 'listing', ...filter, first: 2 });
    const expected = ordered.filter(keep);
    expect(all.flatMap(keysOf)).toEqual(expected);
    expect(all.map((each) => each.edges.length)).toEqual(Array.from({ length: Math.ceil(expected.length / 2) }, (_, index) => Math.min(2, expected.length - 2 * index)));
    expect(all.map((each) => each.pageInfo.hasNextPage)).toEqual(all.map((_, index) => index < all.length - 1));
    for (const each of all) expect(each.pageInfo.endCursor).toBe(each.edges[each.edges.length - 1]!.cursor);
  });

  it('pages of 1 cross every version, stream and source boundary', async () => {
    expect((await pages({ store: 'listing', first: 1 })).flatMap(keysOf)).toEqual(ordered);
  });

  it('a list that exactly fills its pages says hasNextPage false on the last full page', async () => {
    const all = await pages({ store: 'listing', first: ordered.length / 2 });
    expect(all.map((each) => [each.edges.length, each.pageInfo.hasNextPage])).toEqual([
      [ordered.length / 2, true],
      [ordered.length / 2, false],
    ]);
  });

  it('a filter that matches nothing answers an empty connection', async () => {
    for (const filter of [{ sourceUuid: 'nope' }, { streamUuid: 'nope' }, { sourceUuid: 'src-a', streamUuid: 'st-3' }]) {
      expect(await page({ store: 'listing', ...filter })).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    }
  });

  it('cursors keep ids holding any character, in bytewise order', async () => {
    const source = 'odd:"source", \\ 1';
    const streams = ['a', 'a:b', 'a"b', 'a,b', 'é', '💥', '\uffff', 'a\\'];
    for (const streamUuid of streams) await record({ sourceUuid: source, streamUuid, version: 0, data: {} });
    const expected = listingOrder(streams.map((stream): Key => [source, stream, 0]));
    expect((await pages({ sourceUuid: source, first: 1 })).flatMap(keysOf)).toEqual(expected);
    // '💥' (4 bytes of UTF-8) sorts after '\uffff' (3 bytes), though not in UTF-16 order.
    expect(expected.slice(-2).map(([, stream]) => stream)).toEqual(['\uffff', '💥']);
  });

  it('a cursor stays valid after the snapshot it points at is deleted', async () => {
    const source = 'keyset-1';
    for (const [streamUuid, version] of [['s1', 2], ['s1', 1], ['s1', 0], ['s2', 0]] as const) {
      await record({ sourceUuid: source, streamUuid, version, data: {} });
    }
    const first = await page({ sourceUuid: source, first: 2 });
    expect(keysOf(first)).toEqual([
      [source, 's1', 2],
      [source, 's1', 1],
    ]);
    expect(await remove({ sourceUuid: source, streamUuid: 's1', version: 1 })).toBe(true);
    expect(keysOf(await page({ sourceUuid: source, first: 2, after: first.pageInfo.endCursor }))).toEqual([
      [source, 's1', 0],
      [source, 's2', 0],
    ]);
  });
});

describe('deleteSnapshot', () => {
  const key = { sourceUuid: 'del-1', streamUuid: 'cart-9' };

  it('answers true when there was one, then false; the other versions stay', async () => {
    for (const version of [1, 2, 3]) await record({ ...key, version, data: { version } });

    expect(await remove({ ...key, version: 3 })).toBe(true);
    expect(await read({ ...key, version: 3 })).toBeNull();
    expect(await remove({ ...key, version: 3 })).toBe(false);

    // The latest falls back to the highest version left.
    expect(await read(key)).toMatchObject({ version: 2, data: { version: 2 } });
    expect(keysOf(await page({ sourceUuid: key.sourceUuid }))).toEqual([
      [key.sourceUuid, key.streamUuid, 2],
      [key.sourceUuid, key.streamUuid, 1],
    ]);
  });

  it('answers false for a key that was never recorded', async () => {
    expect(await remove({ sourceUuid: 'del-never', streamUuid: 'x', version: 0 })).toBe(false);
    expect(await remove({ ...key, version: 99 })).toBe(false);
  });

  it('a deleted key can be recorded again', async () => {
    await record({ ...key, version: 5, data: { first: true } });
    expect(await remove({ ...key, version: 5 })).toBe(true);
    expect(await record({ ...key, version: 5, data: { second: true } })).toMatchObject({ version: 5, data: { second: true } });
    expect(await read(key)).toMatchObject({ version: 5, data: { second: true } });
  });
});

describe('stores', () => {
  const key = { sourceUuid: 'iso-1', streamUuid: 'shared', version: 1 };

  it('keep their snapshots apart: the same key holds its own snapshot in each', async () => {
    await record({ ...key, store: 'main', data: { in: 'main' } });
    expect(await read({ ...key, store: 'other' })).toBeNull();
    expect(await read({ sourceUuid: key.sourceUuid, streamUuid: key.streamUuid, store: 'other' })).toBeNull();
    expect(keysOf(await page({ store: 'other' }))).toEqual([]);

    await record({ ...key, store: 'other', data: { in: 'other' } });
    expect(await read({ ...key, store: 'main' })).toMatchObject({ data: { in: 'main' } });
    expect(await read({ ...key, store: 'other' })).toMatchObject({ data: { in: 'other' } });
    expect(keysOf(await page({ store: 'other' }))).toEqual([['iso-1', 'shared', 1]]);

    expect(await remove({ ...key, store: 'other' })).toBe(true);
    expect(await read({ ...key, store: 'main' })).toMatchObject({ data: { in: 'main' } });
    expect(await remove({ ...key, store: 'other' })).toBe(false);
  });

  it('the first store is the default when none is named', async () => {
    expect(await read(key)).toMatchObject({ data: { in: 'main' } });
    expect(keysOf(await page({ sourceUuid: 'src-a' }))).toEqual([]);
    expect(keysOf(await page({ store: 'listing', sourceUuid: 'src-a' }))).toHaveLength(4);
  });

  const unknown: [string, string, Record<string, unknown>][] = [
    ['recordSnapshot', RECORD_SNAPSHOT, { input: { store: 'nope', sourceUuid: 's', streamUuid: 't', version: 0, data: {} } }],
    ['snapshot', SNAPSHOT, { store: 'nope', sourceUuid: 's', streamUuid: 't' }],
    ['snapshots', SNAPSHOTS_PAGE, { store: 'nope' }],
    ['deleteSnapshot', DELETE_SNAPSHOT, { store: 'nope', sourceUuid: 's', streamUuid: 't', version: 0 }],
  ];

  it.each(unknown)('an unknown store is STORE_NOT_FOUND for %s', async (_name, document, variables) => {
    const response = await gw.gql(document, variables);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['STORE_NOT_FOUND']);
    expect(response.errors![0]!.message).toContain('nope');
  });
});

describe('validation', () => {
  const valid = { sourceUuid: 'val-1', streamUuid: 'stream', version: 0, data: { ok: true } };
  /** A JSON value whose serialised form is exactly `bytes` long. */
  const jsonOfSize = (bytes: number) => ({ pad: 'x'.repeat(bytes - JSON.stringify({ pad: '' }).length) });

  /** Every snapshot of `main`, to show that a refused request wrote nothing. */
  async function everything(): Promise<SnapshotView[]> {
    return (await pages({ first: 1000 })).flatMap((each) => each.edges.map(({ node }) => node));
  }

  const records: [string, string, RecordSnapshotInput][] = [
    ['an empty sourceUuid', 'input.sourceUuid', { ...valid, sourceUuid: '' }],
    ['a sourceUuid of 256 characters', 'input.sourceUuid', { ...valid, sourceUuid: 's'.repeat(256) }],
    ['an empty streamUuid', 'input.streamUuid', { ...valid, streamUuid: '' }],
    ['a streamUuid of 256 characters', 'input.streamUuid', { ...valid, streamUuid: 't'.repeat(256) }],
    ['a negative version', 'input.version', { ...valid, version: -1 }],
    ['data over the size limit', 'input.data', { ...valid, data: jsonOfSize(MAX_BYTES + 1) }],
    ['metadata over the size limit', 'input.metadata', { ...valid, metadata: jsonOfSize(MAX_BYTES + 1) }],
    ['an empty sourceType', 'input.sourceType', { ...valid, sourceType: '' }],
  ];

  it.each(records)('recordSnapshot refuses %s as BAD_USER_INPUT naming %s, and writes nothing', async (_what, field, input) => {
    const before = await everything();
    expectBadUserInput(await gw.gql(RECORD_SNAPSHOT, { input }), field);
    expect(await everything()).toEqual(before);
  });

  it('recordSnapshot refuses a snapshot without data as BAD_USER_INPUT naming input.data, and writes nothing', async () => {
    const before = await everything();
    for (const data of [undefined, null]) {
      // data is JSON! in the schema: GraphQL refuses the variable before the gateway's own checks run.
      expectBadUserInput(await gw.gql(RECORD_SNAPSHOT, { input: { ...valid, data } }), 'input.data');
    }
    expect(await everything()).toEqual(before);
  });

  it('recordSnapshot accepts values right at the limits', async () => {
    const input = { sourceUuid: 's'.repeat(255), streamUuid: 't'.repeat(255), version: 2 ** 31 - 1, data: jsonOfSize(MAX_BYTES), metadata: jsonOfSize(MAX_BYTES) };
    expect(await record(input)).toMatchObject(input);
    expect(await read(input)).toMatchObject(input);
  });

  const queries: [string, string, string, Record<string, unknown>][] = [
    ['snapshot', 'an empty sourceUuid', 'sourceUuid', { sourceUuid: '', streamUuid: 't' }],
    ['snapshot', 'a streamUuid of 256 characters', 'streamUuid', { sourceUuid: 's', streamUuid: 't'.repeat(256) }],
    ['snapshot', 'a negative version', 'version', { sourceUuid: 's', streamUuid: 't', version: -1 }],
    ['snapshots', 'an empty sourceUuid', 'sourceUuid', { sourceUuid: '' }],
    ['snapshots', 'a sourceUuid of 256 characters', 'sourceUuid', { sourceUuid: 's'.repeat(256) }],
    ['snapshots', 'an empty streamUuid', 'streamUuid', { streamUuid: '' }],
    ['snapshots', 'first 0', 'first', { first: 0 }],
    ['snapshots', 'first over 1000', 'first', { first: 1001 }],
    ['snapshots', 'a cursor that is not one', 'after', { after: 'not-a-cursor' }],
    ['snapshots', 'a cursor of another connection', 'after', { after: Buffer.from('stream:abc').toString('base64url') }],
    ['snapshots', 'a snapshot cursor with a negative version', 'after', { after: Buffer.from('snapshot:["s","t",-1]').toString('base64url') }],
    ['deleteSnapshot', 'an empty sourceUuid', 'sourceUuid', { sourceUuid: '', streamUuid: 't', version: 0 }],
    ['deleteSnapshot', 'a streamUuid of 256 characters', 'streamUuid', { sourceUuid: 's', streamUuid: 't'.repeat(256), version: 0 }],
    ['deleteSnapshot', 'a negative version', 'version', { sourceUuid: 's', streamUuid: 't', version: -1 }],
  ];
  const documents: Record<string, string> = { snapshot: SNAPSHOT, snapshots: SNAPSHOTS_PAGE, deleteSnapshot: DELETE_SNAPSHOT };

  it.each(queries)('%s refuses %s as BAD_USER_INPUT naming %s', async (operation, _what, field, variables) => {
    const before = await everything();
    const response = await gw.gql(documents[operation]!, variables);
    expectBadUserInput(response, field);
    expect(Object.values(response.data ?? {}).filter((value) => value !== null)).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it('a snapshots cursor is refused by another connection', async () => {
    const { endCursor } = (await page({ store: 'listing', first: 1 })).pageInfo;
    expectBadUserInput(await gw.gql<StreamsPageData>(STREAMS_PAGE, { after: endCursor }), 'after');
  });
});
