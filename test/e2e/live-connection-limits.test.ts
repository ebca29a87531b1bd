import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { activeSubscriptions, useLiveGateway, waitUntil, type Collected, type WsConnection } from '../support/ws-client.js';

const MAX_PER_CONNECTION = 3;

const live = useLiveGateway({ env: { GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(MAX_PER_CONNECTION) } });

/** Starts one subscription per stream, each running on the gateway before the next, so that what is appended next is theirs. */
async function subscribeEach(connection: WsConnection, streams: string[]): Promise<Collected<EventView>[]> {
  const subs: Collected<EventView>[] = [];
  for (const streamId of streams) subs.push(await connection.subscribeActive<EventView>(BY_STREAM, { streamId }));
  return subs;
}

/** Appends one event to each stream and expects each subscription to get its stream's event next. */
async function expectDelivering(subs: Collected<EventView>[], streams: string[]): Promise<void> {
  const counts = subs.map((sub) => sub.events.length);
  for (const [index, streamId] of streams.entries()) {
    const written = await appendSuccess(live.gw, { streamId, events: newEvents(1) });
    expect(await subs[index]!.waitForEvents(counts[index]! + 1)).toEqual([...subs[index]!.events.slice(0, counts[index]), ...written.events]);
  }
}

describe(`GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION=${MAX_PER_CONNECTION}`, () => {
  it(`lets one connection run ${MAX_PER_CONNECTION} subscriptions; one more fails naming the limit, and the others keep delivering`, async () => {
    const connection = await live.connect();
    const streams = Array.from({ length: MAX_PER_CONNECTION }, (_, index) => `capped-${index}`);
    const subs = await subscribeEach(connection, streams);
    const extra = connection.subscribe<EventView>(BY_STREAM, { streamId: 'one-too-many' });

    const [error] = await extra.waitForErrors();
    expect(error!.message).toContain(`at most ${MAX_PER_CONNECTION}`);
    expect(error!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION', maximum: MAX_PER_CONNECTION });
    expect(subs.map((sub) => sub.errors)).toEqual(streams.map(() => []));
    await expectDelivering(subs, streams);
    expect(connection.closes).toEqual([]);
  });

  it('counts per connection: another connection has its own allowance, and a freed place can be used again', async () => {
    const [first, second] = [await live.connect(), await live.connect()];
    const firstStreams = Array.from({ length: MAX_PER_CONNECTION }, (_, index) => `a-${index}`);
    const secondStreams = Array.from({ length: MAX_PER_CONNECTION }, (_, index) => `b-${index}`);
    const firstSubs = await subscribeEach(first, firstStreams);
    const secondSubs = await subscribeEach(second, secondStreams);
    await expectDelivering(firstSubs, firstStreams);
    await expectDelivering(secondSubs, secondStreams);

    const running = activeSubscriptions(live.gw.gateway);
    firstSubs[0]!.unsubscribe();
    await waitUntil(() => activeSubscriptions(live.gw.gateway) < running, 'the gateway to end the subscription');
    const replacement = await first.subscribeActive<EventView>(BY_STREAM, { streamId: 'a-new' });
    await expectDelivering([replacement, firstSubs[1]!], ['a-new', 'a-1']);
  });
});

describe('connection initialisation', () => {
  it('closes a socket that never sends connection_init with 4408', async () => {
    const socket = new WebSocket(live.gw.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    // The default wait is 3 s; a generous bound keeps the test from hanging if it never comes.
    const outcome = await Promise.race([closed, new Promise<undefined>((resolve) => setTimeout(resolve, 15_000))]);
    socket.terminate();
    expect(outcome?.code).toBe(4408);
    expect(outcome?.reason).toMatch(/initialisation timeout/i);
  });
});
