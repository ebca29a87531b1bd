import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACK_MANY, consume, executeOverWs, gatewayForFile, saveSubscription, subscriptionView, waitForConsumers } from '../support/persistent.js';
import { appendSuccess, dataOf, newEvents, type GraphQLResponse } from '../support/test-gateway.js';
import { connectWs } from '../support/ws-client.js';

const env = gatewayForFile();

function codeAndField(response: GraphQLResponse<unknown>): [unknown, unknown][] {
  return (response.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.field]);
}

/** A consumer of a fresh subscription on `stream` that has received `count` new events; answers it and their ids. */
async function consumerWith(stream: string, count: number) {
  await saveSubscription(env.gw, { name: stream, type: 'BY_STREAM', selector: stream, ackTimeoutMs: 60_000 });
  const consumer = consume(env.ws, stream);
  await waitForConsumers(env.gw, 1);
  const { events } = await appendSuccess(env.gw, { streamId: stream, events: newEvents(count) });
  await consumer.waitForEvents(count);
  return { consumer, ids: events.map((event) => event.id), lastPosition: events[events.length - 1]!.position };
}

describe('ackEvents settles many deliveries of one subscription in one operation', () => {
  it('acks what the consumer received, answering each in the order asked, and leaves nothing in flight', async () => {
    const { consumer, ids, lastPosition } = await consumerWith('many', 5);
    const asked = [ids[3]!, ids[0]!, ids[4]!, ids[1]!, ids[2]!];

    expect(await consumer.ackMany(asked)).toEqual([true, true, true, true, true]);
    expect(await subscriptionView(env.gw, 'many')).toMatchObject({ inFlightCount: 0, parkedCount: 0, checkpoint: lastPosition });
    expect(await consumer.ackMany(asked)).toEqual([false, false, false, false, false]);
    expect(await consumer.ackMany([])).toEqual([]);
  });

  it('answers false, changing nothing, for an id the consumer does not hold: unknown, asked twice, or acked by another connection', async () => {
    const { consumer, ids, lastPosition } = await consumerWith('partly', 2);
    const outsider = await connectWs(env.gw);
    try {
      const fromOutsider = await executeOverWs<{ ackEvents: boolean[] }>(outsider.client, ACK_MANY, { subscription: 'partly', eventIds: ids });
      expect(dataOf(fromOutsider).ackEvents).toEqual([false, false]);
    } finally {
      await outsider.dispose();
    }
    expect(await subscriptionView(env.gw, 'partly')).toMatchObject({ inFlightCount: 2 });

    expect(await consumer.ackMany([ids[0]!, randomUUID(), ids[0]!])).toEqual([true, false, false]);
    expect(await subscriptionView(env.gw, 'partly')).toMatchObject({ inFlightCount: 1 });
    expect(await consumer.ack(ids[1]!)).toBe(true);
    expect(await subscriptionView(env.gw, 'partly')).toMatchObject({ inFlightCount: 0, checkpoint: lastPosition });
  });

  it('refuses the whole call, acking none of it, for an id that is not a UUID or more ids than one call carries', async () => {
    const { consumer, ids } = await consumerWith('refused', 2);
    const ackMany = (eventIds: string[]) => executeOverWs(env.ws.client, ACK_MANY, { subscription: 'refused', eventIds });

    expect(codeAndField(await ackMany([ids[0]!, 'nope']))).toEqual([['BAD_USER_INPUT', 'eventIds[1]']]);
    const tooMany = await ackMany([...ids, ...Array.from({ length: 999 }, () => randomUUID())]);
    expect(codeAndField(tooMany)).toEqual([['BAD_USER_INPUT', 'eventIds']]);
    expect(tooMany.errors![0]!.message).toContain('1000');
    expect(await subscriptionView(env.gw, 'refused')).toMatchObject({ inFlightCount: 2 });

    expect(await consumer.ackMany(ids)).toEqual([true, true]);
  });
});
