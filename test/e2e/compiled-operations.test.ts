import { describe, expect, it } from 'vitest';
import { RUNS_BEFORE_COMPILING } from '../../src/server/compiled-execution.js';
import { APPEND, BY_STREAM, STREAM_PAGE, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents, readStream } from '../support/test-gateway.js';
import { useLiveGateway } from '../support/ws-client.js';

/**
 * A document is compiled once it has run a few times; before that graphql-js
 * runs it. A client must not be able to tell the two apart: each operation
 * here (a document of its own, so that graphql-js answers its first runs)
 * runs well past that point, and every answer must be the same text as the
 * first, byte for byte.
 */
const RUNS = RUNS_BEFORE_COMPILING + 15;

const live = useLiveGateway();

/** The answers to `RUNS` posts of `query`, made a document of its own by a comment naming `use`. */
async function answers(use: string, query: string, variables: Record<string, unknown>): Promise<unknown[]> {
  const body = JSON.stringify({ query: `${query}\n# ${use}`, variables });
  const texts: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const response = await fetch(live.gw.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    texts.push(await response.text());
  }
  for (const text of texts) expect(text).toBe(texts[0]);
  return texts.map((text) => JSON.parse(text) as unknown);
}

describe('an operation run many times', () => {
  it('reads the same page of a stream, every field alike, each time', async () => {
    await appendSuccess(live.gw, {
      streamId: 'compiled-read',
      events: [{ type: 'OrderPlaced', data: { total: 12.5, lines: [{ sku: 'a', qty: 2 }], note: null }, metadata: { user: 'u1' } }, ...newEvents(2)],
    });
    const all = await answers('read', STREAM_PAGE, { id: 'compiled-read', first: 2, after: null });
    expect(JSON.stringify(all[0])).toContain('"total":12.5');
  });

  it('answers a wrong expected version with the same union member each time, and writes nothing', async () => {
    await appendSuccess(live.gw, { streamId: 'compiled-wev', events: newEvents(1) });
    const all = await answers('wrong version', APPEND, { input: { streamId: 'compiled-wev', expectedVersion: 5, events: newEvents(1) } });
    expect(JSON.stringify(all[0])).toContain('WrongExpectedVersionError');
    expect(await readStream(live.gw, 'compiled-wev')).toHaveLength(1);
  });

  it('refuses an unknown store with the same error, code and path each time', async () => {
    const all = await answers('unknown store', STREAM_PAGE, { store: 'no-such-store', id: 'x', first: 1, after: null });
    expect(all[0]).toMatchObject({ errors: [{ locations: [{ line: 3, column: 5 }], path: ['stream'], extensions: { code: 'STORE_NOT_FOUND' } }] });
  });

  it('refuses a variable that does not fit its type the same way each time, naming the field', async () => {
    const all = await answers('bad variable', APPEND, { input: { streamId: 'compiled-bad', events: [{ data: {} }] } });
    expect(all[0]).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(JSON.stringify(all[0])).toContain('type');
    expect(await readStream(live.gw, 'compiled-bad')).toEqual([]);
  });
});

describe('an operation whose JSON literal holds variables', () => {
  it('stores what the variables say on every run, compiled or not', async () => {
    const append = `mutation AppendWithLiteral($streamId: String!, $note: String, $amount: Float) {
      appendEvents(input: { streamId: $streamId, events: [{ type: "Noted", data: { note: $note, amounts: [$amount, 1] }, metadata: { by: $note } }] }) { __typename }
    }`;
    for (let run = 0; run < RUNS; run++) {
      const answer = await live.gw.gql(append, { streamId: 'compiled-literal', note: `note ${run}`, amount: run });
      expect(answer).toEqual({ data: { appendEvents: { __typename: 'AppendEventsSuccess' } } });
    }
    const stored = await readStream(live.gw, 'compiled-literal');
    expect(stored.map((event) => [event.data, event.metadata])).toEqual(
      Array.from({ length: RUNS }, (_, run) => [{ note: `note ${run}`, amounts: [run, 1] }, { by: `note ${run}` }]),
    );
  });
});

describe('a subscription delivering many events', () => {
  it('shows each event exactly as a read of the stream does, before and after its document is compiled', async () => {
    const written: EventView[] = (
      await appendSuccess(live.gw, { streamId: 'compiled-live', events: newEvents(RUNS, 'Ticked', (index) => ({ index, nested: { list: [index, null, 'x'] } })) })
    ).events;
    const sub = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'compiled-live', fromVersion: 0 });
    expect(await sub.waitForEvents(RUNS)).toEqual(await readStream(live.gw, 'compiled-live'));
    expect(written).toHaveLength(RUNS);
  });
});
