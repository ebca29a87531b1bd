import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { append, appendSuccess, newEvents, readStream } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

describe('concurrent appends to one stream', () => {
  it('with expectedState ANY: 20 requests get versions 0..19, each exactly once, and read back in order', async () => {
    const streamId = `counter-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        appendSuccess(gw, { streamId, expectedState: 'ANY', events: newEvents(1, 'Incremented', () => ({ request: index })) }),
      ),
    );

    const versions = results.map((result) => result.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, index) => index));

    const stored = await readStream(gw, streamId);
    expect(stored).toHaveLength(20);
    expect(stored.map((event) => event.version)).toEqual(versions);
    for (let index = 1; index < stored.length; index++) {
      expect(stored[index]!.position).toBeGreaterThan(stored[index - 1]!.position);
    }
    // What each request was told is what was stored.
    const byId = new Map(stored.map((event) => [event.id, event]));
    for (const result of results) {
      expect(byId.get(result.events[0]!.id)).toEqual(result.events[0]);
    }
  });

  it('all expecting the same version: exactly one of 10 succeeds, nine get WrongExpectedVersionError', async () => {
    const streamId = `race-${randomUUID()}`;
    await appendSuccess(gw, { streamId, events: newEvents(3) });

    const results = await Promise.all(
      Array.from({ length: 10 }, () => append(gw, { streamId, expectedVersion: 2, events: newEvents(2) })),
    );

    const successes = results.filter((result) => result.__typename === 'AppendEventsSuccess');
    const failures = results.filter((result) => result.__typename === 'WrongExpectedVersionError');
    expect(successes).toHaveLength(1);
    expect(failures).toHaveLength(9);
    expect(successes[0]).toMatchObject({ version: 4 });
    for (const failure of failures) {
      expect(failure).toMatchObject({ streamId, expected: '2', actualVersion: 4 });
    }

    const stored = await readStream(gw, streamId);
    expect(stored).toHaveLength(5);
    expect(stored.slice(3).map((event) => event.id)).toEqual(
      successes[0]!.__typename === 'AppendEventsSuccess' ? successes[0]!.events.map((event) => event.id) : [],
    );
  });

  it('all expecting NO_STREAM: exactly one of 10 creates the stream', async () => {
    const streamId = `create-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => append(gw, { streamId, expectedState: 'NO_STREAM', events: newEvents(1) })),
    );
    expect(results.filter((result) => result.__typename === 'AppendEventsSuccess')).toHaveLength(1);
    expect(results.filter((result) => result.__typename === 'WrongExpectedVersionError')).toHaveLength(9);
    expect(await readStream(gw, streamId)).toHaveLength(1);
  });
});
