import { afterEach, describe, expect, it } from 'vitest';
import { executeOverWs, PERSISTENT, SAVE_SUBSCRIPTION } from '../support/persistent.js';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { subscribeSse } from '../support/sse-client.js';
import { appendSuccess, newEvents, postGraphQL, type GraphQLErrorBody } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs, waitUntil, type Collected, type WsConnection } from '../support/ws-client.js';

const ALPHA = 'alpha-key-0123456789abcdef';
const BRAVO = 'bravo-key-0123456789abcdef';
const PER_CLIENT = 3;
const PER_GATEWAY = 5;

const gw = useGateway({
  env: {
    GATER_API_KEYS: `${ALPHA}:admin,${BRAVO}:admin`,
    GATER_MAX_SUBSCRIPTIONS_PER_CLIENT: String(PER_CLIENT),
    GATER_MAX_SUBSCRIPTIONS: String(PER_GATEWAY),
  },
});

const bearer = (key: string) => `Bearer ${key}`;
const open: (WsConnection | Collected<unknown>)[] = [];

afterEach(async () => {
  for (const each of open.splice(0)) {
    if ('dispose' in each) await each.dispose();
    else each.unsubscribe();
  }
  await waitUntil(() => gw.gateway.live.gauges().tailers === 0, 'every subscription to end');
});

async function connect(key: string): Promise<WsConnection> {
  const connection = await connectWs(gw, { connectionParams: { authorization: bearer(key) } });
  open.push(connection);
  return connection;
}

function sse<T>(key: string, variables: Record<string, unknown>, query = BY_STREAM): Collected<T> {
  const sub = subscribeSse<T>(gw.url, { method: 'POST', query, variables, headers: { authorization: bearer(key) } });
  open.push(sub);
  return sub;
}

/** Subscriptions the gateway runs right now, live and persistent. */
const runningCount = () => Object.values(gw.gateway.live.gauges().subscriptions).reduce((sum, count) => sum + count, 0) + gw.gateway.persistent.consumerCount;

function expectRefused(errors: GraphQLErrorBody[], limit: string, maximum: number): void {
  expect(errors).toHaveLength(1);
  expect(errors[0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit, maximum });
  expect(errors[0]!.message).toContain(`at most ${maximum}`);
}

describe('limits on running subscriptions, over graphql-ws and SSE, live and persistent alike', () => {
  it(`refuses a client's subscription past GATER_MAX_SUBSCRIPTIONS_PER_CLIENT=${PER_CLIENT}, over either transport, while its others and other clients go on`, async () => {
    const alpha = await connect(ALPHA);
    const saved = await executeOverWs(alpha.client, SAVE_SUBSCRIPTION, { input: { name: 'billing', type: 'BY_STREAM', selector: '$all' } });
    expect(saved.errors).toBeUndefined();
    const live = [await alpha.subscribeActive<EventView>(BY_STREAM, { streamId: 'a-1' }), await alpha.subscribeActive<EventView>(BY_STREAM, { streamId: 'a-2' })];
    const consumer = alpha.subscribe(PERSISTENT, { subscription: 'billing' });
    await waitUntil(() => runningCount() === 3, 'the persistent consumer to run');

    expectRefused(await alpha.subscribe(BY_STREAM, { streamId: 'a-3' }).waitForErrors(), 'GATER_MAX_SUBSCRIPTIONS_PER_CLIENT', PER_CLIENT);
    expectRefused(await sse(ALPHA, { streamId: 'a-4' }).waitForErrors(), 'GATER_MAX_SUBSCRIPTIONS_PER_CLIENT', PER_CLIENT);
    expectRefused(await alpha.subscribe(PERSISTENT, { subscription: 'billing' }).waitForErrors(), 'GATER_MAX_SUBSCRIPTIONS_PER_CLIENT', PER_CLIENT);

    // The connection and what runs on it carry on; another client has its own allowance.
    const writer = { gql: <T>(query: string, variables?: Record<string, unknown>) => postGraphQL<T>(gw.url, query, variables, { authorization: bearer(ALPHA) }) };
    const written = (await appendSuccess(writer, { streamId: 'a-1', events: newEvents(1) })).events;
    expect(await live[0]!.waitForEvents(1)).toEqual(written);
    expect(consumer.errors).toEqual([]);
    expect(alpha.closes).toEqual([]);
    const other = sse<EventView>(BRAVO, { streamId: 'b-1' });
    await waitUntil(() => runningCount() === 4, 'the other client to subscribe');
    expect(other.errors).toEqual([]);

    // A place given back can be taken again.
    live[1]!.unsubscribe();
    await waitUntil(() => runningCount() === 3, 'the subscription to end');
    const again = await alpha.subscribeActive<EventView>(BY_STREAM, { streamId: 'a-5' });
    expect(again.errors).toEqual([]);
  });

  it(`refuses anyone past GATER_MAX_SUBSCRIPTIONS=${PER_GATEWAY}`, async () => {
    const alpha = await connect(ALPHA);
    for (let index = 0; index < PER_CLIENT; index++) await alpha.subscribeActive<EventView>(BY_STREAM, { streamId: `full-a-${index}` });
    const bravo = await connect(BRAVO);
    for (let index = 0; index < PER_GATEWAY - PER_CLIENT; index++) await bravo.subscribeActive<EventView>(BY_STREAM, { streamId: `full-b-${index}` });
    expectRefused(await bravo.subscribe(BY_STREAM, { streamId: 'one-too-many' }).waitForErrors(), 'GATER_MAX_SUBSCRIPTIONS', PER_GATEWAY);
    expectRefused(await sse(BRAVO, { streamId: 'one-too-many' }).waitForErrors(), 'GATER_MAX_SUBSCRIPTIONS', PER_GATEWAY);
    expect(runningCount()).toBe(PER_GATEWAY);
  });
});
