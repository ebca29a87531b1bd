import { buildSchema, execute, GraphQLScalarType, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { stringifyResult } from '../../src/server/result-serializer.js';
import { StoredEvent } from '../../src/store/event-row.js';
import { stringifyWithStoredJson } from '../../src/store/stored-json.js';

const schema = buildSchema(`
  scalar JSON
  interface Node { id: ID! }
  type Event implements Node { id: ID! streamId: String! version: Int! position: Float data: JSON metadata: JSON tags: [String] grid: [[Int!]] }
  type Stream implements Node { id: ID! events: [Event!]! last: Event }
  union Item = Event | Stream
  type Query { event(id: ID!): Event stream: Stream! items: [Item!]! node: Node flag: Boolean ratio: Float nothing: String }
`);
Object.assign(schema.getType('JSON') as GraphQLScalarType, { serialize: (value: unknown) => value });

function storedEvent(index: number, data: string, metadata = '{"by": "ana"}') {
  const event = new StoredEvent(
    {
      event_id: `e-${index}`,
      stream_id: `orders-"${index}"\u2028`,
      version: index,
      position: String(index + 1),
      type: 'OrderPlaced',
      data,
      metadata,
      content_type: 'application/json',
      created_epoch: '1764600000000000',
    },
    'default',
  );
  return {
    __typename: 'Event',
    id: event.id,
    streamId: event.streamId,
    version: event.version,
    position: event.position + 0.5,
    data: StoredEvent.payloadOf(event, 'data'),
    metadata: index === 2 ? { parsed: [1, 'two', null] } : StoredEvent.payloadOf(event, 'metadata'),
    tags: index === 0 ? null : ['a', null, 'c'],
    grid: [[1, 2], [], [3]],
  };
}

const events = [storedEvent(0, '{"total": 12.5, "lines": [1, 2]}'), storedEvent(1, 'null'), storedEvent(2, '"text"')];
const root = {
  event: ({ id }: { id: string }) => events.find((event) => event.id === id) ?? null,
  stream: { __typename: 'Stream', id: 's-1', events, last: null },
  items: [events[0], { __typename: 'Stream', id: 's-2', events: [], last: events[2] }],
  node: events[1],
  flag: false,
  ratio: -0,
  nothing: null,
};

function answered(query: string, variables?: Record<string, unknown>): { result: ExecutionResult; general: string; planned: string } {
  const document = parse(query);
  const result = execute({ schema, document, rootValue: root, variableValues: variables }) as ExecutionResult;
  return { result, general: stringifyWithStoredJson(result), planned: stringifyResult(result, schema, document, undefined) };
}

describe('answers written from their selection', () => {
  it.each([
    ['fields, aliases, nulls, lists of lists, stored and parsed payloads', '{ stream { id events { id streamId version position data metadata tags grid } last { id } } flag ratio nothing }'],
    ['an event found and one not', '{ a: event(id: "e-0") { data streamId } b: event(id: "missing") { id } }'],
    ['__typename on an interface and a union', '{ node { __typename id } items { __typename } }'],
    ['fragments, answered the general way', '{ items { __typename ... on Event { id data } ... on Stream { id last { id } } } }'],
    ['directives, answered the general way', '{ stream { id events @include(if: false) { id } } }'],
    ['a field selected twice, answered the general way', '{ stream { id id } }'],
  ])('writes the same JSON as the general way: %s', (_name, query) => {
    const { result, general, planned } = answered(query);
    expect(result.errors).toBeUndefined();
    expect(planned).toBe(general);
  });

  it('splices stored payloads as the database printed them', () => {
    const { planned } = answered('{ event(id: "e-0") { data metadata } }');
    expect(planned).toBe('{"data":{"event":{"data":{"total": 12.5, "lines": [1, 2]},"metadata":{"by": "ana"}}}}');
  });

  it('writes keys in the order the selection names them', () => {
    const document = parse('{ stream { id last { id } } }');
    const result = { data: { stream: { last: null, id: 's-1' } } };
    expect(stringifyResult(result, schema, document, undefined)).toBe('{"data":{"stream":{"id":"s-1","last":null}}}');
  });

  it('writes a result with errors or extensions, or one whose shape differs from its selection, the general way', () => {
    const document = parse('{ stream { id last { id } } }');
    const withErrors = { data: { stream: null }, errors: [{ message: 'boom' }] } as unknown as ExecutionResult;
    const missingKey = { data: { stream: { id: 's-1' } } };
    const wrongType = { data: { stream: { id: 's-1', last: 'not an object' } } };
    for (const result of [withErrors, missingKey, wrongType, { data: null, extensions: { cost: 1 } }]) {
      expect(stringifyResult(result, schema, document, undefined)).toBe(stringifyWithStoredJson(result));
    }
  });
});
