import { expect, it } from 'vitest';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents, readAll, readStream } from '../support/test-gateway.js';
import { expectExactly, useLiveGateway } from '../support/ws-client.js';

/** Events held per subscriber on the server: every replay below takes several pages. */
const SUBSCRIBER_BUFFER = 8;

const live = useLiveGateway({ env: { GATER_SUBSCRIBER_BUFFER: String(SUBSCRIBER_BUFFER) } });

it('replays started at once, longer than the buffer, each deliver exactly their own history, then go live', async () => {
  const streams = Array.from({ length: 30 }, (_, index) => `replayed-${index}`);
  for (const [index, streamId] of streams.entries()) {
    await appendSuccess(live.gw, { streamId, events: newEvents(3 + index, 'Old', (n) => ({ n })) });
  }
  const log = await readAll(live.gw);
  const fromPositions = [1, 1, 1, log[40]!.position, log[77]!.position];

  // All in one go: their pages are read together, stream pages in shared queries, equal log pages once.
  const byStream = streams.map((streamId, index) =>
    live.ws.subscribe<EventView>(BY_STREAM, { streamId, fromVersion: index % 4 }),
  );
  const allStreams = fromPositions.map((fromPosition) => live.ws.subscribe<EventView>(BY_STREAM, { streamId: '$all', fromPosition }));

  for (const [index, sub] of allStreams.entries()) {
    const expected = log.filter((event) => event.position >= fromPositions[index]!);
    expect(await sub.waitForEvents(expected.length)).toEqual(expected);
  }
  for (const [index, streamId] of streams.entries()) {
    const history = (await readStream(live.gw, streamId)).slice(index % 4);
    const marker = async () => (await appendSuccess(live.gw, { streamId, events: newEvents(1, 'Marker') })).events;
    await expectExactly(marker, [byStream[index]!, history]);
  }
});
