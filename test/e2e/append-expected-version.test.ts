import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { APPEND, STREAM_VERSION, type AppendData, type StreamVersionData } from '../support/queries.js';
import { append, appendSuccess, dataOf, newEvents, readStream } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

const streamName = () => `order-${randomUUID()}`;

async function versionOf(streamId: string): Promise<number> {
  return dataOf(await gw.gql<StreamVersionData>(STREAM_VERSION, { streamId })).streamVersion;
}

/** A stream holding `count` events. */
async function streamWith(count: number): Promise<string> {
  const streamId = streamName();
  await appendSuccess(gw, { streamId, events: newEvents(count) });
  return streamId;
}

describe('appendEvents with expectedVersion', () => {
  it('-1 writes to a stream that does not exist, starting at version 0', async () => {
    const streamId = streamName();
    const result = await appendSuccess(gw, { streamId, expectedVersion: -1, events: newEvents(3) });
    expect(result.streamId).toBe(streamId);
    expect(result.events.map((event) => event.version)).toEqual([0, 1, 2]);
    expect(await versionOf(streamId)).toBe(2);
  });

  it('-1 on an existing stream is a WrongExpectedVersionError and writes nothing', async () => {
    const streamId = await streamWith(2);
    const result = await append(gw, { streamId, expectedVersion: -1, events: newEvents(1) });
    expect(result).toMatchObject({ __typename: 'WrongExpectedVersionError', streamId, actualVersion: 1 });
    expect(await versionOf(streamId)).toBe(1);
  });

  it('N writes when the stream is at version N', async () => {
    const streamId = await streamWith(3);
    const result = await appendSuccess(gw, { streamId, expectedVersion: 2, events: newEvents(2) });
    expect(result.events.map((event) => event.version)).toEqual([3, 4]);
    expect(await versionOf(streamId)).toBe(4);
  });

  it('N when the stream is at another version is a WrongExpectedVersionError naming both', async () => {
    const streamId = await streamWith(3);
    for (const expectedVersion of [0, 1, 3, 10]) {
      const result = await append(gw, { streamId, expectedVersion, events: newEvents(1) });
      expect(result).toEqual({
        __typename: 'WrongExpectedVersionError',
        message: expect.stringContaining(streamId),
        streamId,
        expected: String(expectedVersion),
        actualVersion: 2,
      });
    }
    expect(await versionOf(streamId)).toBe(2);
  });

  it('N on a stream that does not exist is a WrongExpectedVersionError with actualVersion -1', async () => {
    const streamId = streamName();
    const result = await append(gw, { streamId, expectedVersion: 0, events: newEvents(1) });
    expect(result).toMatchObject({ __typename: 'WrongExpectedVersionError', streamId, expected: '0', actualVersion: -1 });
    expect(await versionOf(streamId)).toBe(-1);
  });
});

describe('appendEvents with expectedState', () => {
  it('NO_STREAM writes to a new stream', async () => {
    const streamId = streamName();
    const result = await appendSuccess(gw, { streamId, expectedState: 'NO_STREAM', events: newEvents(1) });
    expect(result.version).toBe(0);
  });

  it('NO_STREAM on an existing stream is a WrongExpectedVersionError', async () => {
    const streamId = await streamWith(1);
    const result = await append(gw, { streamId, expectedState: 'NO_STREAM', events: newEvents(1) });
    expect(result).toMatchObject({
      __typename: 'WrongExpectedVersionError',
      streamId,
      expected: 'NO_STREAM',
      actualVersion: 0,
    });
    expect(await versionOf(streamId)).toBe(0);
  });

  it('STREAM_EXISTS writes to an existing stream', async () => {
    const streamId = await streamWith(2);
    const result = await appendSuccess(gw, { streamId, expectedState: 'STREAM_EXISTS', events: newEvents(1) });
    expect(result.version).toBe(2);
  });

  it('STREAM_EXISTS on a missing stream is a WrongExpectedVersionError with actualVersion -1', async () => {
    const streamId = streamName();
    const result = await append(gw, { streamId, expectedState: 'STREAM_EXISTS', events: newEvents(1) });
    expect(result).toMatchObject({
      __typename: 'WrongExpectedVersionError',
      streamId,
      expected: 'STREAM_EXISTS',
      actualVersion: -1,
    });
    expect(await versionOf(streamId)).toBe(-1);
  });

  it('ANY writes whether or not the stream exists', async () => {
    const streamId = streamName();
    expect((await appendSuccess(gw, { streamId, expectedState: 'ANY', events: newEvents(1) })).version).toBe(0);
    expect((await appendSuccess(gw, { streamId, expectedState: 'ANY', events: newEvents(2) })).version).toBe(2);
  });

  it('defaults to ANY when neither expectedVersion nor expectedState is given', async () => {
    const streamId = streamName();
    expect((await appendSuccess(gw, { streamId, events: newEvents(1) })).version).toBe(0);
    expect((await appendSuccess(gw, { streamId, events: newEvents(1) })).version).toBe(1);
  });
});

describe('AppendEventsSuccess', () => {
  it('answers the version and position of the last event written, and every event as stored', async () => {
    const streamId = await streamWith(1);
    const input = newEvents(3, 'ItemAdded', (index) => ({ sku: `sku-${index}` }));
    const result = await appendSuccess(gw, { streamId, expectedVersion: 0, events: input });
    const last = result.events[result.events.length - 1]!;
    expect(result.version).toBe(3);
    expect(result.version).toBe(last.version);
    expect(result.position).toBe(last.position);
    expect(result.events.map((event) => event.id)).toEqual(input.map((event) => event.id));
    expect(result.events.map((event) => event.position)).toEqual([
      result.position - 2,
      result.position - 1,
      result.position,
    ]);
    const stored = await readStream(gw, streamId);
    expect(stored.slice(1)).toEqual(result.events);
  });

  it('gives each event created (ISO 8601, microseconds) and createdEpoch for the same instant', async () => {
    const result = await appendSuccess(gw, { streamId: streamName(), events: newEvents(2) });
    for (const event of result.events) {
      expect(event.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(new Date(event.created).getTime()).toBe(Math.floor(event.createdEpoch / 1000));
      expect(event.created.slice(20, 26)).toBe(String(event.createdEpoch % 1_000_000).padStart(6, '0'));
    }
  });

  it('makes an id for an event that has none, and defaults contentType to application/json', async () => {
    const result = await appendSuccess(gw, { streamId: streamName(), events: [{ type: 'NoId', data: { a: 1 } }] });
    const event = result.events[0]!;
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(event.contentType).toBe('application/json');
    expect(event.data).toEqual({ a: 1 });
  });
});

describe('expectedVersion together with expectedState', () => {
  it('is BAD_USER_INPUT and writes nothing', async () => {
    const streamId = streamName();
    const response = await gw.gql<AppendData>(APPEND, {
      input: { streamId, expectedVersion: -1, expectedState: 'NO_STREAM', events: newEvents(1) },
    });
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expectedVersion' });
    expect(response.errors![0]!.message).toContain('input.expectedVersion');
    expect(await versionOf(streamId)).toBe(-1);
  });
});
