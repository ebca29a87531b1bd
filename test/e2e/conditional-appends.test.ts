import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appendToStreams, appendWithCondition, type AppendAnswer, type ConditionInput } from '../support/lifecycle.js';
import { EVENTS_PAGE, STORES, type EventView, type EventsPageData, type StoresData } from '../support/queries.js';
import { appendSuccess, dataOf, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

const headPosition = async () => dataOf(await gw.gql<StoresData>(STORES)).stores.find((store) => store.id === 'default')!.headPosition;

describe('conditional appends', () => {
  it('50 clients racing for 10 seats: each seat reserved exactly once, every loser told the conflicting position, a retry on a free seat succeeds', async () => {
    const show = `show-${randomUUID()}`;
    const seatTaken = (seat: number): ConditionInput['failIfEventsMatch'] => ({
      eventTypes: ['SeatReserved'],
      pattern: { data: { show, seat } },
    });
    const reservations = async (): Promise<EventView[]> => {
      const page = dataOf(await gw.gql<EventsPageData>(EVENTS_PAGE, { filter: { eventTypes: ['SeatReserved'] }, first: 1000 }));
      return page.events.edges.map((edge) => edge.node).filter((event) => (event.data as { show: string }).show === show);
    };
    /** What a client reads before it decides: the head, and the seats already taken up to it. */
    const look = async () => {
      const after = await headPosition();
      const taken = new Set((await reservations()).map((event) => (event.data as { seat: number }).seat));
      return { after, taken };
    };

    // Every client looks before any reserves: all see every seat free.
    const looks: { after: number; taken: Set<number> }[] = [];
    for (let client = 0; client < 50; client++) looks.push(await look());
    expect(looks.every(({ taken }) => taken.size === 0)).toBe(true);
    const answers = await Promise.all(
      looks.map(({ after }, client) => {
        const seat = client % 10;
        return appendWithCondition(gw, {
          streamId: `reservation-${show}-${client}`,
          events: [{ type: 'SeatReserved', data: { show, seat, client } }],
          condition: { failIfEventsMatch: seatTaken(seat), after },
        });
      }),
    );

    const reserved = await reservations();
    expect(reserved.map((event) => (event.data as { seat: number }).seat).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, seat) => seat));
    const winnerPosition = new Map(reserved.map((event) => [(event.data as { seat: number }).seat, event.position]));
    const losers: number[] = [];
    answers.forEach((answer: AppendAnswer, client) => {
      const seat = client % 10;
      if (answer.__typename === 'AppendEventsSuccess') {
        expect(answer.position).toBe(winnerPosition.get(seat));
      } else {
        expect(answer).toMatchObject({ __typename: 'AppendConditionFailedError', position: winnerPosition.get(seat) });
        losers.push(client);
      }
    });
    expect(losers).toHaveLength(40);

    // A loser reads again, finds seat 10 free, and reserves it.
    const { after, taken } = await look();
    expect(taken.has(10)).toBe(false);
    const retry = await appendWithCondition(gw, {
      streamId: `reservation-${show}-${losers[0]}`,
      events: [{ type: 'SeatReserved', data: { show, seat: 10, client: losers[0] } }],
      condition: { failIfEventsMatch: seatTaken(10), after },
    });
    expect(retry.__typename).toBe('AppendEventsSuccess');
    // With a position read before that, the same reservation conflicts with it.
    const late = await appendWithCondition(gw, {
      streamId: `reservation-${show}-late`,
      events: [{ type: 'SeatReserved', data: { show, seat: 10 } }],
      condition: { failIfEventsMatch: seatTaken(10), after },
    });
    expect(late).toEqual({ __typename: 'AppendConditionFailedError', message: expect.any(String), position: retry.__typename === 'AppendEventsSuccess' ? retry.position : -1 });
  });

  it('of two concurrent appends whose conditions exclude each other, exactly one succeeds, in one batch or two', async () => {
    for (let round = 0; round < 10; round++) {
      const tag = `${randomUUID()}`;
      const after = await headPosition();
      const claim = (who: string) =>
        appendToStreams(gw, {
          streams: [{ streamId: `username-${tag}-${who}`, events: [{ type: 'UsernameClaimed', data: { name: tag } }] }],
          condition: { failIfEventsMatch: { eventTypes: ['UsernameClaimed'], pattern: { data: { name: tag } } }, after },
        });
      const answers = await Promise.all([claim('a'), claim('b')]);
      expect(answers.map((answer) => answer.__typename).sort()).toEqual(['AppendConditionFailedError', 'AppendToStreamsSuccess']);
    }
  });

  it('checks stream prefix and pattern as byEventPattern does, and with no `after` looks at the whole log', async () => {
    const prefix = `cart-${randomUUID()}-`;
    await appendSuccess(gw, { streamId: `${prefix}1`, events: [{ type: 'ItemAdded', data: { sku: 'a', tags: ['x', 'y'] } }] });
    const written = await appendSuccess(gw, { streamId: `${prefix}2`, events: [{ type: 'ItemAdded', data: { sku: 'b', tags: ['x'] } }] });
    const tryWith = (failIfEventsMatch: ConditionInput['failIfEventsMatch']) =>
      appendWithCondition(gw, { streamId: `${prefix}probe`, events: newEvents(1, 'Probe'), condition: { failIfEventsMatch } });

    // Arrays match only when equal, as in live patterns; objects as subsets.
    expect(await tryWith({ streamPrefix: prefix, pattern: { data: { tags: ['x'] } } })).toMatchObject({ position: written.position });
    expect(await tryWith({ streamPrefix: prefix, pattern: { streamId: `${prefix}2` } })).toMatchObject({ position: written.position });
    expect(await tryWith({ pattern: { type: 'ItemAdded', streamId: `${prefix}2` } })).toMatchObject({ position: written.position });
    expect(await tryWith({ pattern: { type: 'ItemRemoved', streamId: `${prefix}2` } })).toMatchObject({ __typename: 'AppendEventsSuccess' });
    expect(await tryWith({ streamPrefix: prefix, pattern: { data: { tags: ['y'] } } })).toMatchObject({ __typename: 'AppendEventsSuccess' });
    expect(await tryWith({ streamPrefix: `${prefix}9`, eventTypes: ['ItemAdded'] })).toMatchObject({ __typename: 'AppendEventsSuccess' });
  });

  it('retried with the same event ids succeeds again: its own stored event does not fail its condition', async () => {
    const key = randomUUID();
    const input = {
      streamId: `idempotent-${key}`,
      events: [{ id: randomUUID(), type: 'KeyClaimed', data: { key } }],
      condition: { failIfEventsMatch: { eventTypes: ['KeyClaimed'], pattern: { data: { key } } } },
    };
    const first = await appendWithCondition(gw, input);
    expect(first.__typename).toBe('AppendEventsSuccess');
    expect(await appendWithCondition(gw, input)).toEqual(first);
    expect(await appendWithCondition(gw, { ...input, events: [{ type: 'KeyClaimed', data: { key } }] })).toMatchObject({
      __typename: 'AppendConditionFailedError',
      position: first.__typename === 'AppendEventsSuccess' ? first.position : -1,
    });
  });

  it('refuses a pattern that is not an object, naming the field', async () => {
    const answer = await gw.gql(`mutation($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }`, {
      input: { streamId: `bad-${randomUUID()}`, events: newEvents(1), condition: { failIfEventsMatch: { pattern: [1] } } },
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.condition.failIfEventsMatch.pattern' });
  });
});
