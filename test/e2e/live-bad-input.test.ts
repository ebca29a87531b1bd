import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BY_EVENT_PATTERN, BY_EVENT_PAYLOAD, BY_EVENT_TYPE, BY_STREAM, type EventView } from '../support/queries.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { activeSubscriptions, useLiveGateway, type Collected } from '../support/ws-client.js';

const live = useLiveGateway({ keepSubscriptions: true });
/** A subscription on the same connection that must keep delivering whatever the bad ones do. */
let healthy: Collected<EventView>;
beforeAll(async () => {
  healthy = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'healthy' });
});

/** What the one error must carry: its code and field (when given), and words of its message. */
interface Expected {
  code?: string;
  field?: string;
  message: string;
}
const badInput = (field: string): Expected => ({ code: 'BAD_USER_INPUT', field, message: field });
const storeNotFound: Expected = { code: 'STORE_NOT_FOUND', message: '"nope"' };

const cases: [name: string, query: string, variables: Record<string, unknown>, expected: Expected][] = [
  ['a pattern that is an array', BY_EVENT_PATTERN, { pattern: [{ type: 'X' }] }, badInput('pattern')],
  ['a pattern that is a string', BY_EVENT_PATTERN, { pattern: '{"type":"X"}' }, badInput('pattern')],
  ['a pattern that is a number', BY_EVENT_PATTERN, { pattern: 42 }, badInput('pattern')],
  // JSON! refuses null before the resolver runs, with GraphQL's own error about the variable, tagged as bad input.
  ['a pattern that is null', BY_EVENT_PATTERN, { pattern: null }, { ...badInput('pattern'), message: '$pattern' }],
  ['a variable of the wrong type', BY_STREAM, { streamId: 5 }, { ...badInput('streamId'), message: '$streamId' }],
  // PostgreSQL's jsonb and text refuse both; the replay reads with the pattern.
  ['a pattern holding U+0000', BY_EVENT_PATTERN, { pattern: { data: { note: 'x\u0000' } }, fromPosition: 1 }, badInput('pattern')],
  ['a stream id pattern holding U+0000', BY_EVENT_PATTERN, { pattern: { streamId: '\u0000' } }, badInput('pattern')],
  ['a payload holding a lone surrogate', BY_EVENT_PAYLOAD, { payload: { note: '\ud800' }, fromPosition: 1 }, badInput('payload')],
  ['a payload that is an array', BY_EVENT_PAYLOAD, { payload: [1, 2] }, badInput('payload')],
  ['a payload that is a string', BY_EVENT_PAYLOAD, { payload: 'amount' }, badInput('payload')],
  ['a payload that is a number', BY_EVENT_PAYLOAD, { payload: 10 }, badInput('payload')],
  ['a negative fromVersion', BY_STREAM, { streamId: 'healthy', fromVersion: -1 }, badInput('fromVersion')],
  ['a negative fromPosition on a stream', BY_STREAM, { streamId: 'healthy', fromPosition: -1 }, badInput('fromPosition')],
  ['a negative fromPosition on "$all"', BY_STREAM, { streamId: '$all', fromPosition: -5 }, badInput('fromPosition')],
  ['a negative fromPosition on an event type', BY_EVENT_TYPE, { eventType: 'T', fromPosition: -1 }, badInput('fromPosition')],
  ['a negative fromPosition on a pattern', BY_EVENT_PATTERN, { pattern: {}, fromPosition: -1 }, badInput('fromPosition')],
  ['fromVersion with "$all"', BY_STREAM, { streamId: '$all', fromVersion: 0 }, badInput('fromVersion')],
  ['a reserved stream id', BY_STREAM, { streamId: '$settings' }, badInput('streamId')],
  ['an empty event type', BY_EVENT_TYPE, { eventType: '' }, badInput('eventType')],
  ['an unknown store on byStream', BY_STREAM, { store: 'nope', streamId: 'healthy' }, storeNotFound],
  ['an unknown store on byEventPayload', BY_EVENT_PAYLOAD, { store: 'nope', payload: {} }, storeNotFound],
];

describe('a subscription with a bad argument', () => {
  it.each(cases)('fails alone on %s; the socket and the other subscription stay up', async (_name, query, variables, expected) => {
    const bad = live.ws.subscribe<EventView>(query, variables);
    const errors = await bad.waitForErrors();
    expect(errors, JSON.stringify(errors)).toHaveLength(1);
    const [error] = errors;
    if (expected.code !== undefined) expect(error!.extensions?.code).toBe(expected.code);
    if (expected.field !== undefined) expect(error!.extensions?.field).toBe(expected.field);
    expect(error!.message).toContain(expected.message);
    expect(bad.events).toEqual([]);

    // The same socket, and the healthy subscription on it, carry on.
    expect(live.ws.closes).toEqual([]);
    expect(live.ws.socket.readyState).toBe(WebSocket.OPEN);
    const before = healthy.events.length;
    const written = await appendSuccess(live.gw, { streamId: 'healthy', events: newEvents(1) });
    await healthy.waitForEvents(before + 1);
    expect(healthy.events.slice(before)).toEqual(written.events);
    // Nothing is left running on the server for the failed one.
    expect(activeSubscriptions(live.gw.gateway)).toBe(1);
  });
});
