import { randomUUID } from 'node:crypto';
import { appendExpecting, type AppendOutcome } from './append.js';
import { createGaterClient } from './client.js';
import { consume, type Delivery } from './consume.js';
import { followAll, type LogEvent } from './follow-all.js';
import { readStream, type StreamEvent } from './read-stream.js';
import { saveSubscription } from './save-subscription.js';

export interface Tour {
  first: AppendOutcome;
  conflict: AppendOutcome;
  read: StreamEvent[];
  followed: LogEvent[];
  consumed: Delivery[];
  acked: boolean[];
}

/** Against the gateway at `url`: one stream written, read, followed live, and consumed by a persistent subscription. */
export async function main(url: string, streamId = `order-${randomUUID()}`): Promise<Tour> {
  const client = createGaterClient(url);
  try {
    const subscription = `billing-${randomUUID()}`;
    await saveSubscription(client.apollo, { name: subscription, type: 'BY_STREAM', selector: streamId });
    const consumed: Delivery[] = [];
    const consumer = consume(client.apollo, subscription, (delivery) => {
      consumed.push(delivery);
      return delivery.event.type === 'OrderPlaced' ? 'ack' : { nack: 'PARK', reason: 'not an order' };
    });
    const events = (types: string[]) => types.map((type) => ({ id: randomUUID(), type, data: { streamId } }));
    const first = await appendExpecting(client.apollo, streamId, -1, events(['OrderPlaced', 'OrderPlaced', 'Noise']));
    const conflict = await appendExpecting(client.apollo, streamId, -1, events(['OrderPlaced']));
    const read = await readStream(client.apollo, streamId, { pageSize: 2 });
    // Live from the stream's first position: the history first, then what comes.
    const followed: LogEvent[] = [];
    const stopFollowing = followAll(
      client.apollo,
      (event) => {
        if (event.streamId === streamId) followed.push(event);
      },
      { fromPosition: read[0]?.position ?? 0 },
    );
    await until(() => followed.length >= 3 && consumer.settled.length >= 3);
    const acked = await Promise.all(consumer.settled);
    stopFollowing();
    consumer.stop();
    return { first, conflict, read, followed, consumed, acked };
  } finally {
    await client.stop();
  }
}

async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the live events');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? 'http://127.0.0.1:4000/graphql';
  console.log(JSON.stringify(await main(url), null, 2));
}
