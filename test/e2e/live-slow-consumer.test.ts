import { describe, expect, it } from 'vitest';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents, readStream } from '../support/test-gateway.js';
import { expectExactly, useLiveGateway } from '../support/ws-client.js';

/** Events held per subscriber on the server before it reads the database instead. */
const SUBSCRIBER_BUFFER = 8;
const EVENTS = 320;
/** 64 KiB of data per event: 20 MiB in all, more than the kernel's socket buffers hold for a client that does not read. */
const PAYLOAD = 'x'.repeat(64 * 1024);
const PER_APPEND = 16;

const live = useLiveGateway({ env: { GATER_SUBSCRIBER_BUFFER: String(SUBSCRIBER_BUFFER) } });

describe('a consumer that stops reading', () => {
  it('does not hold up another subscriber, and gets every event in order once it reads again', async () => {
    const [fast, slow] = [live.ws, await live.connect()];
    const fastSub = await fast.subscribeActive<EventView>(BY_STREAM, { streamId: 'bulk' });
    const slowSub = await slow.subscribeActive<EventView>(BY_STREAM, { streamId: 'bulk' });
    // The slow client's socket stops reading: the server's writes to it back up in the TCP buffers, then on the server.
    slow.socket.pause();

    for (let written = 0; written < EVENTS; written += PER_APPEND) {
      await appendSuccess(live.gw, { streamId: 'bulk', events: newEvents(PER_APPEND, 'Bulk', (index) => ({ index: written + index, padding: PAYLOAD })) });
    }
    const stream = await readStream(live.gw, 'bulk');
    expect(stream).toHaveLength(EVENTS);

    // The other subscriber gets everything while the slow one still reads nothing.
    await fastSub.waitForEvents(EVENTS);
    expect(fastSub.events).toEqual(stream);
    expect(slowSub.events.length).toBeLessThan(EVENTS);

    slow.socket.resume();
    const marker = async () => (await appendSuccess(live.gw, { streamId: 'bulk', events: newEvents(1, 'Marker') })).events;
    await expectExactly(marker, [slowSub, stream], [fastSub, stream]);
    expect(slowSub.events.map((event) => event.version)).toEqual(Array.from({ length: EVENTS + 1 }, (_, index) => index));
    expect(slow.closes).toEqual([]);
  });
});
