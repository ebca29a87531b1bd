import { describe, expect, it } from 'vitest';
import { BY_EVENT_PAYLOAD, BY_STREAM, type EventView } from '../support/queries.js';
import { subscribeSse } from '../support/sse-client.js';
import { appendSuccess, newEvents, readStream } from '../support/test-gateway.js';
import { expectExactly, startActive, useLiveGateway, waitForNoLiveResources, waitUntil } from '../support/ws-client.js';

const live = useLiveGateway();

const marker = (streamId: string) => async () => (await appendSuccess(live.gw, { streamId, events: newEvents(1, 'Marker') })).events;

describe('subscriptions over Server-Sent Events (accept: text/event-stream on /graphql)', () => {
  it('GET delivers the events appended after it started, and closing the request ends it on the server', async () => {
    const sub = await startActive(live.gw.gateway, () => subscribeSse<EventView>(live.gw.url, { method: 'GET', query: BY_STREAM, variables: { streamId: 'sse-1' } }));
    expect(await sub.status).toBe(200);
    await appendSuccess(live.gw, { streamId: 'sse-other', events: newEvents(2) });
    const written = await appendSuccess(live.gw, { streamId: 'sse-1', events: newEvents(3) });
    await expectExactly(marker('sse-1'), [sub, written.events]);

    sub.unsubscribe();
    await waitForNoLiveResources(live.gw.gateway);
  });

  it('POST with fromVersion replays history, then goes live', async () => {
    await appendSuccess(live.gw, { streamId: 'sse-2', events: newEvents(4) });
    const sub = subscribeSse<EventView>(live.gw.url, { method: 'POST', query: BY_STREAM, variables: { streamId: 'sse-2', fromVersion: 1 } });
    for (let index = 0; index < 5; index++) await appendSuccess(live.gw, { streamId: 'sse-2', events: newEvents(1) });
    await expectExactly(marker('sse-2'), [sub, (await readStream(live.gw, 'sse-2')).slice(1)]);

    sub.unsubscribe();
    await waitForNoLiveResources(live.gw.gateway);
  });

  it('a bad argument is an error frame naming the field, and the stream completes', async () => {
    const sub = subscribeSse<EventView>(live.gw.url, { method: 'POST', query: BY_EVENT_PAYLOAD, variables: { payload: [1, 2] } });
    const [error] = await sub.waitForErrors();
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'payload' });
    await waitUntil(() => sub.done, 'the stream to complete');
    expect(sub.events).toEqual([]);
    await waitForNoLiveResources(live.gw.gateway);
  });
});
