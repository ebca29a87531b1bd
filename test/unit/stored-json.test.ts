import { describe, expect, it } from 'vitest';
import { StoredEvent, type EventRow } from '../../src/store/event-row.js';
import { stringifyWithStoredJson } from '../../src/store/stored-json.js';

function storedEvent(data: string, metadata = '{}', streamId = 'orders-1'): StoredEvent {
  const row: EventRow = {
    event_id: '5b4b9f8e-4a57-4d0e-9a76-7f5f3f2c1a10',
    stream_id: streamId,
    version: 0,
    position: '7',
    type: 'OrderPlaced',
    data,
    metadata,
    content_type: 'application/json',
    created_epoch: '1764600000000000',
  };
  return new StoredEvent(row, 'default');
}

/** What a resolver of Event answers for these fields. */
function answered(event: StoredEvent) {
  return { data: { event: { streamId: event.streamId, data: StoredEvent.payloadOf(event, 'data'), metadata: StoredEvent.payloadOf(event, 'metadata') } } };
}

describe('payloads answered as the database gave them', () => {
  it('splices the stored text into the answer, and parses nothing to do so', () => {
    const event = storedEvent('{"total": 12.5, "lines": [1, 2]}', '{"by": "ana"}');
    const json = stringifyWithStoredJson(answered(event));
    expect(json).toBe('{"data":{"event":{"streamId":"orders-1","data":{"total": 12.5, "lines": [1, 2]},"metadata":{"by": "ana"}}}}');
    expect(JSON.parse(json)).toEqual({ data: { event: { streamId: 'orders-1', data: { total: 12.5, lines: [1, 2] }, metadata: { by: 'ana' } } } });
  });

  it('serialises as the parsed value where the answer is made by JSON.stringify (yoga, SSE)', () => {
    const event = storedEvent('{"total": 12.5}');
    expect(JSON.stringify(answered(event))).toBe('{"data":{"event":{"streamId":"orders-1","data":{"total":12.5},"metadata":{}}}}');
  });

  it('gives the same JSON when a string of the answer equals the mark the splice looks for', () => {
    const event = storedEvent('"x"', 'null', '\u0000stored-json');
    expect(JSON.parse(stringifyWithStoredJson(answered(event)))).toEqual({ data: { event: { streamId: '\u0000stored-json', data: 'x', metadata: null } } });
  });

  it('gives the same JSON when a string equal to the mark comes after the stored texts', () => {
    const event = storedEvent('{"n": 1}', '{"m": 2}');
    const answer = { data: { events: [answered(event).data.event, { streamId: '\u0000stored-json' }] } };
    expect(JSON.parse(stringifyWithStoredJson(answer))).toEqual({
      data: { events: [{ streamId: 'orders-1', data: { n: 1 }, metadata: { m: 2 } }, { streamId: '\u0000stored-json' }] },
    });
  });

  it('answers a long payload from its value, so one nested too deep still fails to serialise', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const event = storedEvent(deep);
    expect(StoredEvent.payloadOf(event, 'data')).toBe(event.data);
    expect(() => stringifyWithStoredJson(answered(event))).toThrow(RangeError);
  });

  it('reads payloads on demand, and an event read back still equals its values', () => {
    const event = storedEvent('{"a": 1}', '{"b": 2}');
    expect(event.data).toEqual({ a: 1 });
    expect(event.data).toBe(event.data);
    expect(event.metadata).toEqual({ b: 2 });
    expect(StoredEvent.jsonSizeOf(event)).toBe('{"a": 1}'.length + '{"b": 2}'.length);
  });
});
