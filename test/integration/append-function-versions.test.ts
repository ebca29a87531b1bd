import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { CHECKED_RELEASE, CONDITIONS_RELEASE, EARLIER_RELEASES, PREVIOUS_RELEASE, THIS_RELEASE, type AppendFunctionCall } from '../support/append-function-calls.js';
import { useMigratedStore } from '../support/migrated-store.js';

const store = useMigratedStore('versions');
const { tables } = store;

/** Payloads whose JSON text needs escaping in an array literal, or is not an object at all. */
const PAYLOADS: unknown[] = [
  { text: 'quote " backslash \\ comma , braces {} newline \n tab \t', nested: [{ a: [1, 'two', null] }] },
  { unicode: 'é 日本 🎉', empty: '', zero: 0, negative: -1.5e-7, big: 12345678901234567890 },
  ['an', 'array', { at: 'top' }],
  'just a string',
  null,
];

interface Written {
  streamId: string;
  payloads: unknown[];
}

/** The columns of one new stream's batch; `payloads` as the version being called takes them. */
function columns(streamId: string, payloads: unknown[], asPayloads: AppendFunctionCall['payloads']): unknown[] {
  const texts = payloads.map((payload) => JSON.stringify(payload));
  return [
    [streamId],
    [-1],
    [],
    payloads.map(() => randomUUID()),
    payloads.map(() => streamId),
    payloads.map((_, version) => version),
    payloads.map(() => 'Written'),
    asPayloads(texts),
    asPayloads(texts.map((text) => `{"echo":${text}}`)),
    payloads.map(() => 'application/json'),
  ];
}

/** Appends one new stream's events through one way of calling the function. */
async function appendThrough(call: AppendFunctionCall, streamId: string, payloads: unknown[]): Promise<Written> {
  const { rows } = await store.pool.query<{ first_position: string | null }>(call.sql(tables), call.args(columns(streamId, payloads, call.payloads)));
  expect(rows[0]!.first_position).not.toBeNull();
  return { streamId, payloads };
}

it('stores payloads as given, from gateways of this release and of the ones before, in one gapless log', async () => {
  const written = [
    await appendThrough(THIS_RELEASE, 'this-1', PAYLOADS),
    await appendThrough(EARLIER_RELEASES, 'earlier-1', PAYLOADS),
    await appendThrough(THIS_RELEASE, 'this-2', [...PAYLOADS].reverse()),
    await appendThrough(EARLIER_RELEASES, 'earlier-2', [PAYLOADS[0]]),
    await appendThrough(PREVIOUS_RELEASE, 'previous-1', PAYLOADS),
    await appendThrough(CONDITIONS_RELEASE, 'conditions-1', PAYLOADS),
    await appendThrough(CHECKED_RELEASE, 'checked-1', PAYLOADS),
  ];

  const { rows } = await store.pool.query<{ position: string; stream_id: string; version: number; data: unknown; metadata: unknown }>(
    `SELECT position, stream_id, version, data, metadata FROM ${tables.events} ORDER BY position`,
  );
  const expected = written.flatMap(({ streamId, payloads }) =>
    payloads.map((payload, version) => ({ stream_id: streamId, version, data: payload, metadata: { echo: payload } })),
  );
  expect(rows.map(({ position: _position, ...row }) => row)).toEqual(expected);
  expect(rows.map((row) => Number(row.position))).toEqual(expected.map((_, index) => index + 1));
  const { rows: head } = await store.pool.query<{ position: string }>(`SELECT position FROM ${tables.head}`);
  expect(Number(head[0]!.position)).toBe(expected.length);
});
