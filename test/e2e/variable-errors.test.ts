import { describe, expect, it } from 'vitest';
import { APPEND, STORES, type StoresData } from '../support/queries.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

async function eventCount(): Promise<number> {
  const { data } = await gw.gql<StoresData>(STORES);
  return data!.stores[0]!.eventCount;
}

describe('a variable that does not fit its GraphQL type', () => {
  it.each([
    ['a missing required field', { events: [{ type: 'T' }] }, 'input.streamId'],
    ['a null where none is allowed', { streamId: 's', events: [{ type: null }] }, 'input.events[0].type'],
    ['a wrong scalar', { streamId: 's', expectedVersion: 'one', events: [{ type: 'T' }] }, 'input.expectedVersion'],
  ])('is BAD_USER_INPUT naming the field for %s, and writes nothing', async (_what, input, field) => {
    const before = await eventCount();
    const response = await gw.gql(APPEND, { input });
    expect(response.errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', field]]);
    expect(response.errors![0]!.message.startsWith(`${field}: `)).toBe(true);
    expect(await eventCount()).toBe(before);
  });

  it.each([
    ['missing', {}],
    ['null', { input: null }],
  ])('names the variable itself when a required variable is %s', async (_what, variables) => {
    const response = await gw.gql(APPEND, variables);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
  });

  it('names the variable itself when the whole variable is wrong', async () => {
    const response = await gw.gql(`query Page($size: Int) { events(first: $size) { edges { cursor } } }`, { size: 'ten' });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'size' });
  });
});
