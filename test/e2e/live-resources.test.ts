import { describe, expect, it } from 'vitest';
import { BY_EVENT_PATTERN, BY_EVENT_PAYLOAD, BY_EVENT_TYPE, BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useLiveGateway, waitForNoLiveResources, waitUntil, type WsConnection } from '../support/ws-client.js';

const live = useLiveGateway();

/** Starts one subscription of each kind on the connection and checks that each delivers an event they all select. */
async function subscribeToEachKind(connection: WsConnection): Promise<void> {
  const subs = [
    await connection.subscribeActive<EventView>(BY_STREAM, { streamId: 'res-1' }),
    await connection.subscribeActive<EventView>(BY_STREAM, { streamId: '$all' }),
    await connection.subscribeActive<EventView>(BY_EVENT_TYPE, { eventType: 'Res' }),
    await connection.subscribeActive<EventView>(BY_EVENT_PATTERN, { pattern: { data: { k: 1 } } }),
    await connection.subscribeActive<EventView>(BY_EVENT_PAYLOAD, { payload: { k: 1 } }),
  ];
  expect(live.gw.gateway.live.gauges()).toEqual({ subscriptions: { stream: 1, all: 1, type: 1, pattern: 1, payload: 1 }, tailers: 1 });
  const written = await appendSuccess(live.gw, { streamId: 'res-1', events: newEvents(1, 'Res', () => ({ k: 1 })) });
  for (const sub of subs) expect(await sub.waitForEvents(1)).toEqual(written.events);
}

describe('server-side live resources return to zero', () => {
  it('after the client unsubscribes, and a later subscription works again', async () => {
    const connection = await live.connect();
    await subscribeToEachKind(connection);
    connection.unsubscribeAll();
    await waitForNoLiveResources(live.gw.gateway);

    const again = await connection.subscribeActive<EventView>(BY_STREAM, { streamId: 'res-1' });
    const written = await appendSuccess(live.gw, { streamId: 'res-1', events: newEvents(1) });
    expect(await again.waitForEvents(1)).toEqual(written.events);
    again.unsubscribe();
    await waitForNoLiveResources(live.gw.gateway);
  });

  it('after the client closes its connection', async () => {
    const connection = await live.connect();
    await subscribeToEachKind(connection);
    await connection.dispose();
    await waitForNoLiveResources(live.gw.gateway);
  });

  it('after the client\'s socket drops without a close handshake', async () => {
    const connection = await live.connect();
    await subscribeToEachKind(connection);
    connection.socket.terminate();
    await waitUntil(() => connection.closes.length > 0, 'the client to see its socket closed');
    await waitForNoLiveResources(live.gw.gateway);
  });

  it('after the socket drops while the server is stuck sending to a client that stopped reading', async () => {
    await appendSuccess(live.gw, { streamId: 'res-big', events: newEvents(100, 'Big', (index) => ({ index, padding: 'x'.repeat(64 * 1024) })) });
    const connection = await live.connect();
    connection.socket.pause();
    // 6 MiB of history to replay to a socket that does not read.
    await connection.subscribeActive<EventView>(BY_STREAM, { streamId: '$all', fromPosition: 1 });
    await connection.subscribeActive<EventView>(BY_STREAM, { streamId: 'res-big', fromVersion: 0 });
    connection.socket.terminate();
    await waitForNoLiveResources(live.gw.gateway);
  });
});
