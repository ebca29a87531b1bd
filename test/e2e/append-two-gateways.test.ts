import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { append, appendSuccess, newEvents, readStream } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * Each gateway remembers the versions of the streams it wrote, to plan the
 * next appends without reading them. Another gateway writing the same
 * stream makes that memory wrong; the answers must not be.
 */
const first = useGateway();
// On the first one's database, which the first one drops once both have stopped.
const second = useGateway(() => ({ databaseUrl: first.databaseUrl }));

const streamName = () => `shared-${randomUUID()}`;

describe('two gateways appending to the same stream', () => {
  it('accept an expected version that only the other gateway has seen', async () => {
    const streamId = streamName();
    await appendSuccess(first, { streamId, events: newEvents(1) });
    await appendSuccess(second, { streamId, expectedVersion: 0, events: newEvents(1) });

    const result = await appendSuccess(first, { streamId, expectedVersion: 1, events: newEvents(1) });
    expect(result.version).toBe(2);
  });

  it('refuse an expected version that the other gateway has made stale, naming the real version', async () => {
    const streamId = streamName();
    await appendSuccess(first, { streamId, events: newEvents(1) });
    await appendSuccess(second, { streamId, expectedVersion: 0, events: newEvents(2) });

    const result = await append(first, { streamId, expectedVersion: 0, events: newEvents(1) });
    expect(result).toMatchObject({ __typename: 'WrongExpectedVersionError', actualVersion: 2 });
  });

  it('append after the other gateway’s events, never over them', async () => {
    const streamId = streamName();
    for (let round = 0; round < 5; round++) {
      await appendSuccess(first, { streamId, events: newEvents(1) });
      await appendSuccess(second, { streamId, events: newEvents(2) });
    }
    const versions = (await readStream(first, streamId)).map((event) => event.version);
    expect(versions).toEqual(Array.from({ length: 15 }, (_, version) => version));
  });

  it('recognise a retry sent to the other gateway', async () => {
    const streamId = streamName();
    const events = newEvents(2);
    const original = await appendSuccess(first, { streamId, expectedVersion: -1, events });
    const retried = await appendSuccess(second, { streamId, expectedVersion: -1, events });
    expect(retried.position).toBe(original.position);
    expect((await readStream(second, streamId)).length).toBe(2);
  });
});
