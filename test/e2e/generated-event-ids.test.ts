import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendSuccess, readStream } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

/** RFC 9562: version 7 in the 13th hex digit, the variant (8, 9, a or b) in the 17th. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The milliseconds since 1970 a UUIDv7 carries in its first 48 bits. */
const millisecondsOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

const withoutIds = (count: number) => Array.from({ length: count }, (_, index) => ({ type: 'Happened', data: { index } }));

describe('event ids the gateway makes for events sent without one', () => {
  it('are UUIDv7s of the append time, increasing in position order across appends', async () => {
    const streamId = `generated-ids-${randomUUID()}`;
    const before = Date.now();
    await appendSuccess(gw, { streamId, expectedVersion: -1, events: withoutIds(50) });
    await appendSuccess(gw, { streamId, events: withoutIds(50) });
    const after = Date.now();

    const ids = (await readStream(gw, streamId)).map((event) => event.id);
    expect(ids).toHaveLength(100);
    for (const id of ids) {
      expect(id).toMatch(UUID_V7);
      expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
      expect(millisecondsOf(id)).toBeLessThanOrEqual(after);
    }
    // Sorted as text they are in the order the log holds them: each id is greater than the one before.
    expect(ids.every((id, index) => index === 0 || id > ids[index - 1]!)).toBe(true);
  });

  it('leave the ids a client gives as they are', async () => {
    const streamId = `given-ids-${randomUUID()}`;
    const given = [randomUUID(), randomUUID()];
    await appendSuccess(gw, { streamId, events: given.map((id, index) => ({ id, type: 'Happened', data: { index } })) });
    expect((await readStream(gw, streamId)).map((event) => event.id)).toEqual(given);
  });
});
