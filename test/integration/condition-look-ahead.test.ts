import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { appendBatch } from '../../src/store/log/append-batch.js';
import type { BatchMember, ScopedCondition } from '../../src/store/log/append-plan.js';
import { conditionClearUpTo } from '../../src/store/log/condition-look-ahead.js';
import { StreamVersionCache } from '../../src/store/log/stream-version-cache.js';
import { StreamScope } from '../../src/store/stream-scope.js';
import type { NewEventData } from '../../src/store/types.js';
import { compileSubsetMatcher } from '../../src/subscriptions/matcher.js';
import { useMigratedStore } from '../support/migrated-store.js';

const store = useMigratedStore('look_ahead');

const event = (type: string, data: Record<string, unknown>, metadata: Record<string, unknown> | null = null): NewEventData => ({
  id: randomUUID(),
  idGenerated: false,
  type,
  data,
  metadata,
  dataJson: JSON.stringify(data),
  metadataJson: JSON.stringify(metadata),
  contentType: 'application/json',
});

const append = async (streamId: string, ...events: NewEventData[]): Promise<number> => {
  const member: BatchMember = { parts: [{ streamId, expected: { kind: 'any' }, events }], multi: false };
  const [outcome] = await appendBatch(store.pool, store.tables, [member], new StreamVersionCache(), { events: 0, batches: 0 });
  return (outcome as { position: number }).position;
};

const condition = (parts: Partial<ScopedCondition>): ScopedCondition => {
  const matches = parts.pattern ? compileSubsetMatcher(parts.pattern) : undefined;
  return { after: 0, scope: StreamScope.EVERY_STREAM, ...(matches ? { matchesPattern: (seen) => matches(seen) } : {}), ...parts };
};

const clearUpTo = (parts: Partial<ScopedCondition>) => conditionClearUpTo(store.pool, store.tables, condition(parts));

let seatOne: number;
let seatTwo: number;
let otherSeatTwo: number;
let head: number;

beforeAll(async () => {
  seatOne = await append('hall-a', event('SeatReserved', { seat: 1 }, { by: 'ann' }));
  await append('hall-a', event('SeatReleased', { seat: 1 }));
  seatTwo = await append('hall-b', event('SeatReserved', { seat: 2 }, { by: 'bob' }));
  otherSeatTwo = await append('lobby-b', event('SeatReserved', { seat: 2 }));
  head = await append('hall-a', event('Filler', { seat: 3 }));
});

it('knows a condition holds up to the head when no stored event matches it, and up to the first match otherwise', async () => {
  expect(await clearUpTo({ eventTypes: ['Nothing'] })).toBe(head);
  expect(await clearUpTo({ pattern: { data: { seat: 2 } } })).toBe(seatTwo - 1);
  // Past a match, the next one counts; past every match, the head.
  expect(await clearUpTo({ after: seatTwo, pattern: { data: { seat: 2 } } })).toBe(otherSeatTwo - 1);
  expect(await clearUpTo({ after: otherSeatTwo, pattern: { data: { seat: 2 } } })).toBe(head);
  // An `after` beyond the head is kept: nothing is known past it.
  expect(await clearUpTo({ after: head + 50, eventTypes: ['Nothing'] })).toBe(head + 50);
});

it('matches as the write does: types, stream prefix, the caller scope and the pattern together', async () => {
  expect(await clearUpTo({ eventTypes: ['SeatReserved'], streamPrefix: 'hall-b' })).toBe(seatTwo - 1);
  expect(await clearUpTo({ eventTypes: ['SeatReserved'], scope: StreamScope.of(['lobby-']) })).toBe(otherSeatTwo - 1);
  expect(await clearUpTo({ eventTypes: ['SeatReleased'], scope: StreamScope.of(['lobby-']) })).toBe(head);
  // A pattern naming the stream or the type narrows as those parts would; metadata counts too.
  expect(await clearUpTo({ pattern: { streamId: 'lobby-b', data: { seat: 2 } } })).toBe(otherSeatTwo - 1);
  expect(await clearUpTo({ pattern: { type: 'SeatReserved', metadata: { by: 'bob' } } })).toBe(seatTwo - 1);
  expect(await clearUpTo({ pattern: { data: { seat: 1 }, metadata: { by: 'bob' } } })).toBe(head);
  // Characters LIKE would read as wildcards are taken as they are.
  expect(await clearUpTo({ eventTypes: ['SeatReserved'], scope: StreamScope.of(['hall_']) })).toBe(head);
});

it('stops before an event that retention hides, which may be seen again before the write checks', async () => {
  await store.pool.query(`INSERT INTO ${store.tables.streamMetadata} (stream_id, truncate_before) VALUES ('hall-a', 5)`);
  try {
    expect(await clearUpTo({ pattern: { data: { seat: 1 } } })).toBe(seatOne - 1);
  } finally {
    await store.pool.query(`DELETE FROM ${store.tables.streamMetadata} WHERE stream_id = 'hall-a'`);
  }
});
