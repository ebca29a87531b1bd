import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendToStreams, type AppendToStreamsAnswer, type StreamAppendInput } from '../support/lifecycle.js';
import { appendSuccess, dataOf, newEvents, readAll, readStream } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway({ env: { GATER_MAX_REQUEST_EVENTS: '20' } });

type Success = Extract<AppendToStreamsAnswer, { __typename: 'AppendToStreamsSuccess' }>;

function success(answer: AppendToStreamsAnswer): Success {
  if (answer.__typename !== 'AppendToStreamsSuccess') throw new Error(`expected a success, got ${JSON.stringify(answer)}`);
  return answer;
}

describe('appendToStreams', () => {
  it('with one failing expectation among five streams writes nothing to any of them', async () => {
    const run = randomUUID();
    const ids = Array.from({ length: 5 }, (_, index) => `atomic-${run}-${index}`);
    await appendSuccess(gw, { streamId: ids[3]!, events: newEvents(2) });
    const before = await readStream(gw, ids[3]!);

    const streams: StreamAppendInput[] = ids.map((streamId, index) => ({
      streamId,
      // Stream 3 is at version 1: expecting 0 fails.
      expectedVersion: index === 3 ? 0 : -1,
      events: newEvents(2),
    }));
    expect(await appendToStreams(gw, { streams })).toMatchObject({
      __typename: 'WrongExpectedVersionError',
      streamId: ids[3],
      expected: '0',
      actualVersion: 1,
    });
    for (const [index, streamId] of ids.entries()) expect(await readStream(gw, streamId)).toEqual(index === 3 ? before : []);

    const fixed = streams.map((part, index) => (index === 3 ? { ...part, expectedVersion: 1 } : part));
    const written = success(await appendToStreams(gw, { streams: fixed }));
    expect(written.streams.map((stream) => [stream.streamId, stream.version])).toEqual(ids.map((id, index) => [id, index === 3 ? 3 : 1]));
  });

  it('puts one append at contiguous positions, in input order, while single appends run beside it', async () => {
    const run = randomUUID();
    const noise = Promise.all(Array.from({ length: 30 }, (_, index) => appendSuccess(gw, { streamId: `noise-${run}-${index % 3}`, events: newEvents(1) })));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        appendToStreams(gw, {
          streams: [
            { streamId: `order-${run}-${index}`, events: newEvents(2, 'OrderPlaced') },
            { streamId: `stock-${run}`, events: newEvents(1, 'StockReserved') },
            { streamId: `invoice-${run}-${index}`, events: newEvents(3, 'InvoiceDrafted') },
          ],
        }),
      ),
    );
    await noise;
    for (const answer of answers.map(success)) {
      const positions = answer.streams.flatMap((stream) => stream.events.map((event) => event.position));
      expect(positions).toEqual(Array.from({ length: 6 }, (_, index) => positions[0]! + index));
      expect(answer.position).toBe(positions[5]);
      expect(answer.streams.map((stream) => stream.events.map((event) => event.type))).toEqual([
        ['OrderPlaced', 'OrderPlaced'],
        ['StockReserved'],
        ['InvoiceDrafted', 'InvoiceDrafted', 'InvoiceDrafted'],
      ]);
    }
    // The shared stream numbered each append's event once, in commit order.
    const stock = await readStream(gw, `stock-${run}`);
    expect(stock.map((event) => event.version)).toEqual(Array.from({ length: 10 }, (_, index) => index));
  });

  it('retried with the same event ids succeeds again without writing twice', async () => {
    const run = randomUUID();
    const input = {
      streams: [
        { streamId: `retry-a-${run}`, expectedState: 'NO_STREAM' as const, events: newEvents(2) },
        { streamId: `retry-b-${run}`, expectedState: 'NO_STREAM' as const, events: newEvents(1) },
      ],
    };
    const [first, second] = await Promise.all([appendToStreams(gw, input), appendToStreams(gw, input)]);
    const third = await appendToStreams(gw, input);
    expect(success(second)).toEqual(success(first));
    expect(success(third)).toEqual(success(first));
    expect(await readStream(gw, `retry-a-${run}`)).toHaveLength(2);
    expect(await readStream(gw, `retry-b-${run}`)).toHaveLength(1);
  });

  it('concurrent transfers between the same accounts never lose or double an event', async () => {
    const run = randomUUID();
    const accounts = Array.from({ length: 4 }, (_, index) => `account-${run}-${index}`);
    /** Both accounts' versions, in one request (and one query). */
    const versions = async ([from, to]: string[]) => {
      const answer = dataOf(
        await gw.gql<{ from: number; to: number }>(`query($from: String!, $to: String!) { from: streamVersion(streamId: $from) to: streamVersion(streamId: $to) }`, {
          from,
          to,
        }),
      );
      return [answer.from, answer.to];
    };

    /** Moves 1 from one account to another, expecting the versions it read, again until it gets through. */
    async function transfer(index: number): Promise<number> {
      const from = accounts[index % accounts.length]!;
      const to = accounts[(index + 1 + (index % 3)) % accounts.length]!;
      const transferId = `${run}-${index}`;
      for (let attempt = 1; ; attempt++) {
        const [fromVersion, toVersion] = await versions([from, to]);
        const answer = await appendToStreams(gw, {
          streams: [
            { streamId: from, expectedVersion: fromVersion, events: [{ type: 'Debited', data: { transferId, amount: 1 } }] },
            { streamId: to, expectedVersion: toVersion, events: [{ type: 'Credited', data: { transferId, amount: 1 } }] },
          ],
        });
        if (answer.__typename === 'AppendToStreamsSuccess') return attempt;
        expect(answer.__typename).toBe('WrongExpectedVersionError');
        if (attempt > 200) throw new Error(`transfer ${transferId} never got through`);
      }
    }

    await Promise.all(Array.from({ length: 24 }, (_, index) => transfer(index)));

    const byTransfer = new Map<string, string[]>();
    let balance = 0;
    for (const account of accounts) {
      const events = await readStream(gw, account);
      expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index));
      for (const event of events) {
        const { transferId, amount } = event.data as { transferId: string; amount: number };
        byTransfer.set(transferId, [...(byTransfer.get(transferId) ?? []), event.type]);
        balance += event.type === 'Credited' ? amount : -amount;
      }
    }
    expect(byTransfer.size).toBe(24);
    for (const types of byTransfer.values()) expect(types.sort()).toEqual(['Credited', 'Debited']);
    expect(balance).toBe(0);
    // Each transfer's two events sit side by side in the global log.
    const log = (await readAll(gw)).filter((event) => event.streamId.startsWith(`account-${run}`));
    for (let index = 0; index < log.length; index += 2) {
      expect((log[index]!.data as { transferId: string }).transferId).toBe((log[index + 1]!.data as { transferId: string }).transferId);
      expect(log[index + 1]!.position).toBe(log[index]!.position + 1);
    }
  });

  it('counts its events in the request budget: two that together pass it write nothing', async () => {
    const streamId = `budget-${randomUUID()}`;
    const part = (suffix: string) => ({ streams: [{ streamId: `${streamId}-${suffix}`, events: newEvents(6) }, { streamId: `${streamId}-${suffix}-2`, events: newEvents(6) }] });
    const answer = await gw.gql(
      `mutation($one: AppendToStreamsInput!, $two: AppendToStreamsInput!) {
         one: appendToStreams(input: $one) { __typename }
         two: appendToStreams(input: $two) { __typename }
       }`,
      { one: part('one'), two: part('two') },
    );
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_REQUEST_EVENTS' });
    expect(await readStream(gw, `${streamId}-one`)).toEqual([]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const streamId = `bad-${randomUUID()}`;
    const answer = await gw.gql(
      `mutation($input: AppendToStreamsInput!) { appendToStreams(input: $input) { __typename } }`,
      { input: { streams: [{ streamId, events: newEvents(1) }, { streamId, events: newEvents(1) }] } },
    );
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.streams[1].streamId' });
    const tooMany = await gw.gql(`mutation($input: AppendToStreamsInput!) { appendToStreams(input: $input) { __typename } }`, {
      input: { streams: Array.from({ length: 101 }, (_, index) => ({ streamId: `${streamId}-${index}`, events: newEvents(1) })) },
    });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.streams' });
    expect(await readStream(gw, streamId)).toEqual([]);
  });
});
