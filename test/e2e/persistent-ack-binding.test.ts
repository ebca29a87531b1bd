import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../support/cluster-queries.js';
import {
  ACK,
  CONSUMER_TOKEN_HEADER,
  NACK,
  PERSISTENT,
  ackOverHttp,
  consume,
  executeOverWs,
  gatewayForFile,
  saveSubscription,
  subscriptionView,
  waitForConsumers,
} from '../support/persistent.js';
import { subscribeSse } from '../support/sse-client.js';
import { appendSuccess, dataOf, newEvents, postGraphQL, readAll } from '../support/test-gateway.js';
import { connectWs } from '../support/ws-client.js';

const env = gatewayForFile();

/** The settle mutations an outsider may try on an event, each answering a Boolean. */
const SETTLES: [name: string, query: string, extra: Record<string, unknown>][] = [
  ['ackEvent', ACK, {}],
  ['nackEvent RETRY', NACK, { action: 'RETRY' }],
  ['nackEvent PARK', NACK, { action: 'PARK', reason: 'not mine' }],
  ['nackEvent SKIP', NACK, { action: 'SKIP' }],
];

const answerOf = (data: Record<string, boolean>) => Object.values(data)[0];

describe('an ack or nack counts only from the consumer the event was delivered to', () => {
  it('refuses every settle from another client that read the event id from the log, changing nothing; the consumer’s own ack and nack answer true', async () => {
    await saveSubscription(env.gw, { name: 'bound', type: 'BY_STREAM', selector: 'bound', ackTimeoutMs: 60_000 });
    const sub = consume(env.ws, 'bound');
    await waitForConsumers(env.gw, 1);
    await appendSuccess(env.gw, { streamId: 'bound', events: newEvents(2) });
    await sub.waitForEvents(2);

    const [first, second] = (await readAll(env.gw)).filter((event) => event.streamId === 'bound');
    const outsider = await connectWs(env.gw);
    try {
      for (const event of [first!, second!]) {
        for (const [name, query, extra] of SETTLES) {
          const variables = { subscription: 'bound', eventId: event.id, ...extra };
          expect(answerOf(dataOf(await env.gw.gql<Record<string, boolean>>(query, variables))), `${name} over HTTP`).toBe(false);
          const withOtherToken = await postGraphQL<Record<string, boolean>>(env.gw.url, query, variables, { [CONSUMER_TOKEN_HEADER]: randomUUID() });
          expect(answerOf(dataOf(withOtherToken)), `${name} with another token`).toBe(false);
          expect(answerOf(dataOf(await executeOverWs<Record<string, boolean>>(outsider.client, query, variables))), `${name} on another connection`).toBe(false);
        }
      }
    } finally {
      await outsider.dispose();
    }

    expect(await subscriptionView(env.gw, 'bound')).toMatchObject({ inFlightCount: 2, parkedCount: 0, checkpoint: first!.position - 1 });
    expect(sub.events.map((delivery) => [delivery.event.id, delivery.retryCount])).toEqual([
      [first!.id, 0],
      [second!.id, 0],
    ]);

    expect(await sub.ack(first!.id)).toBe(true);
    expect(await sub.nack(second!.id, 'PARK', 'mine to park')).toBe(true);
    expect(await subscriptionView(env.gw, 'bound')).toMatchObject({ inFlightCount: 0, parkedCount: 1, checkpoint: second!.position });
  });

  it('takes an ack over HTTP that carries the token the consumer’s connection sent', async () => {
    await saveSubscription(env.gw, { name: 'by-token', type: 'BY_STREAM', selector: 'by-token' });
    const token = randomUUID();
    const connection = await connectWs(env.gw, { connectionParams: { consumerToken: token } });
    try {
      const sub = consume(connection, 'by-token');
      await waitForConsumers(env.gw, 1);
      const [event] = (await appendSuccess(env.gw, { streamId: 'by-token', events: newEvents(1) })).events;
      await sub.waitForEvents(1);

      expect(await ackOverHttp(env.gw, 'by-token', event!.id, randomUUID())).toBe(false);
      expect(await ackOverHttp(env.gw, 'by-token', event!.id, token)).toBe(true);
      expect(await subscriptionView(env.gw, 'by-token')).toMatchObject({ inFlightCount: 0 });
      sub.unsubscribe();
    } finally {
      await connection.dispose();
    }
  });

  it('refuses a consumer token too short to be a secret, and an HTTP consumer without one', async () => {
    await saveSubscription(env.gw, { name: 'tokens', type: 'BY_STREAM', selector: 'tokens' });
    await expect(connectWs(env.gw, { connectionParams: { consumerToken: 'short' } })).rejects.toMatchObject({ code: 4400 });

    const shortHeader = await postGraphQL(env.gw.url, ACK, { subscription: 'tokens', eventId: randomUUID() }, { [CONSUMER_TOKEN_HEADER]: 'short' });
    expect(errorCodes(shortHeader)).toEqual(['BAD_USER_INPUT']);
    expect(shortHeader.errors?.[0]?.extensions?.field).toBe(CONSUMER_TOKEN_HEADER);

    const sse = subscribeSse(env.gw.url, { method: 'POST', query: PERSISTENT, variables: { subscription: 'tokens' } });
    const errors = await sse.waitForErrors();
    expect(errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
