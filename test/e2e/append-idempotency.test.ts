import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { APPEND, type AppendData, type AppendInput } from '../support/queries.js';
import { append, appendSuccess, newEvents, readStream, storeView } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

const streamName = () => `payment-${randomUUID()}`;

/** The answer's shape without `data`: stored JSON may come back with its keys in another order. */
function summary(result: Awaited<ReturnType<typeof appendSuccess>>) {
  return {
    streamId: result.streamId,
    version: result.version,
    position: result.position,
    events: result.events.map(({ id, streamId, version, position, type, created }) => ({ id, streamId, version, position, type, created })),
  };
}

async function expectDuplicateRejected(input: AppendInput, index: number): Promise<void> {
  const before = await storeView(gw);
  const response = await gw.gql<AppendData>(APPEND, { input });
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  const field = `input.events[${index}].id`;
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(error.message).toContain(field);
  expect(await storeView(gw)).toEqual(before);
}

describe('a retried append (same event ids)', () => {
  it('sent twice in a row writes once and answers the same versions and positions', async () => {
    const streamId = streamName();
    const input: AppendInput = { streamId, expectedVersion: -1, events: newEvents(3) };
    const first = await appendSuccess(gw, input);
    const before = await storeView(gw);
    const second = await appendSuccess(gw, input);

    expect(summary(second)).toEqual(summary(first));
    expect(second.events.map((event) => event.data)).toEqual(first.events.map((event) => event.data));
    expect(await storeView(gw)).toEqual(before);
    expect(await readStream(gw, streamId)).toHaveLength(3);
  });

  it('sent twice at once writes once and both answers are the same success', async () => {
    for (let round = 0; round < 5; round++) {
      const streamId = streamName();
      const input: AppendInput = { streamId, expectedState: 'NO_STREAM', events: newEvents(2) };
      const [a, b] = await Promise.all([appendSuccess(gw, input), appendSuccess(gw, input)]);
      expect(summary(a)).toEqual(summary(b));
      expect(a.version).toBe(1);
      expect(await readStream(gw, streamId)).toHaveLength(2);
    }
  });

  it('expecting -1 still succeeds after the stream exists, because the original write satisfied it', async () => {
    const streamId = streamName();
    const input: AppendInput = { streamId, expectedVersion: -1, events: newEvents(2) };
    const first = await appendSuccess(gw, input);
    // The stream moves on before the retry arrives.
    await appendSuccess(gw, { streamId, events: newEvents(1) });
    const retry = await appendSuccess(gw, input);
    expect(summary(retry)).toEqual(summary(first));
    expect(await readStream(gw, streamId)).toHaveLength(3);
  });

  it('expecting an exact version succeeds again after the stream has moved on', async () => {
    const streamId = streamName();
    await appendSuccess(gw, { streamId, events: newEvents(1) });
    const input: AppendInput = { streamId, expectedVersion: 0, events: newEvents(2) };
    const first = await appendSuccess(gw, input);
    await appendSuccess(gw, { streamId, events: newEvents(1) });
    const retry = await appendSuccess(gw, input);
    expect(summary(retry)).toEqual(summary(first));
    expect(await readStream(gw, streamId)).toHaveLength(4);
  });

  it('whose expectation did not hold for the original write is a WrongExpectedVersionError', async () => {
    const streamId = streamName();
    await appendSuccess(gw, { streamId, events: newEvents(1) });
    const events = newEvents(1);
    await appendSuccess(gw, { streamId, expectedVersion: 0, events });
    // Same ids, but claiming the stream did not exist: that never held.
    const result = await append(gw, { streamId, expectedVersion: -1, events });
    expect(result).toMatchObject({ __typename: 'WrongExpectedVersionError', streamId, actualVersion: 1 });
    expect(await readStream(gw, streamId)).toHaveLength(2);
  });
});

describe('an event id that is already stored elsewhere', () => {
  it('in another stream is BAD_USER_INPUT naming input.events[i].id, and nothing is written', async () => {
    const events = newEvents(2);
    await appendSuccess(gw, { streamId: streamName(), events });
    const other = streamName();
    await expectDuplicateRejected({ streamId: other, events: [...newEvents(1), events[1]!] }, 1);
    expect(await readStream(gw, other)).toEqual([]);
  });

  it('all of them in another stream, at the same versions, is BAD_USER_INPUT, not a retry: both streams unchanged', async () => {
    const events = newEvents(2);
    const original = streamName();
    await appendSuccess(gw, { streamId: original, events });
    const stored = await readStream(gw, original);
    const other = streamName();
    await expectDuplicateRejected({ streamId: other, events }, 0);
    expect(await readStream(gw, other)).toEqual([]);
    expect(await readStream(gw, original)).toEqual(stored);
  });

  it('all of them in another stream that has events of its own is BAD_USER_INPUT: both streams unchanged', async () => {
    const events = newEvents(2);
    const original = streamName();
    await appendSuccess(gw, { streamId: original, events });
    const stored = await readStream(gw, original);
    const other = streamName();
    await appendSuccess(gw, { streamId: other, events: newEvents(3) });
    const own = await readStream(gw, other);
    await expectDuplicateRejected({ streamId: other, expectedVersion: 2, events }, 0);
    expect(await readStream(gw, other)).toEqual(own);
    expect(await readStream(gw, original)).toEqual(stored);
  });

  it('in a different order is BAD_USER_INPUT, and nothing is written', async () => {
    const streamId = streamName();
    const events = newEvents(3);
    await appendSuccess(gw, { streamId, events });
    await expectDuplicateRejected({ streamId, events: [events[1]!, events[0]!, events[2]!] }, 0);
    expect(await readStream(gw, streamId)).toHaveLength(3);
  });

  it('mixed with new ids in the same stream is BAD_USER_INPUT, and nothing is written', async () => {
    const streamId = streamName();
    const events = newEvents(2);
    await appendSuccess(gw, { streamId, events });
    await expectDuplicateRejected({ streamId, events: [...events, ...newEvents(1)] }, 0);
    expect(await readStream(gw, streamId)).toHaveLength(2);
  });

  it('twice within one append is BAD_USER_INPUT naming the second, and nothing is written', async () => {
    const streamId = streamName();
    const [event] = newEvents(1);
    await expectDuplicateRejected({ streamId, events: [event!, ...newEvents(1), event!] }, 2);
    expect(await readStream(gw, streamId)).toEqual([]);
  });
});
