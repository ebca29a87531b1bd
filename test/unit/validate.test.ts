import { describe, expect, it } from 'vitest';
import { checkEventTypes, checkJsonValue, checkJsonSize, checkName, checkNonNegative, checkPageSize, checkStreamId, checkStreamPrefix, checkText, checkUuid } from '../../src/resolvers/validate.js';
import { rejection } from '../support/rejection.js';

const LONE_SURROGATE = '\uD800';

describe('checkUuid', () => {
  it('accepts a UUID in either case and answers it in lower case', () => {
    expect(checkUuid('id', '0B9C5E5A-1F0e-4c3a-9d1b-AAAAAAAAAAAA')).toBe('0b9c5e5a-1f0e-4c3a-9d1b-aaaaaaaaaaaa');
  });

  it('refuses anything else, with the field it came in', () => {
    for (const value of [
      '',
      '0b9c5e5a1f0e4c3a9d1baaaaaaaaaaaa',
      '0b9c5e5a-1f0e-4c3a-9d1b-aaaaaaaaaaa',
      '0b9c5e5a-1f0e-4c3a-9d1b-aaaaaaaaaaaaa',
      'x0b9c5e5a-1f0e-4c3a-9d1b-aaaaaaaaaaaa',
      '0b9c5e5a-1f0e-4c3a-9d1b-aaaaaaaaaaaa\n',
      '{0b9c5e5a-1f0e-4c3a-9d1b-aaaaaaaaaaaa}',
      'gb9c5e5a-1f0e-4c3a-9d1b-aaaaaaaaaaaa',
    ]) {
      expect(rejection(() => checkUuid('input.events[0].id', value))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.events[0].id' });
    }
  });
});

describe('checkPageSize', () => {
  const limits = { defaultPageSize: 20, maxPageSize: 100 };

  it('takes the default when none is given', () => {
    expect(checkPageSize('first', undefined, limits)).toBe(20);
    expect(checkPageSize('first', null, limits)).toBe(20);
  });

  it('takes 1 up to the largest page, and nothing outside', () => {
    expect(checkPageSize('first', 1, limits)).toBe(1);
    expect(checkPageSize('first', 100, limits)).toBe(100);
    expect(rejection(() => checkPageSize('first', 0, limits))).toEqual({ code: 'BAD_USER_INPUT', field: 'first', message: 'first: must be between 1 and 100, got 0' });
    expect(rejection(() => checkPageSize('first', 101, limits)).message).toBe('first: must be between 1 and 100, got 101');
  });
});

describe('checkStreamId', () => {
  it('takes up to 255 characters, counted as users count them', () => {
    expect(checkStreamId('streamId', 'order-42')).toBe('order-42');
    // Each emoji is two UTF-16 units and one character.
    expect(checkStreamId('streamId', '😀'.repeat(255))).toHaveLength(510);
    expect(rejection(() => checkStreamId('streamId', 'a'.repeat(256))).message).toBe('streamId: a stream id is at most 255 characters, got 256');
  });

  it('refuses an empty id, a reserved "$" id, and text PostgreSQL cannot store', () => {
    for (const value of ['', '$all', '$ce-order', 'a\u0000b', `a${LONE_SURROGATE}`]) {
      expect(rejection(() => checkStreamId('streamId', value)).code).toBe('BAD_USER_INPUT');
    }
    expect(checkStreamId('streamId', 'a$')).toBe('a$');
  });

  it('refuses control characters and bidirectional formatting, saying which and where, and keeps other scripts', () => {
    expect(rejection(() => checkStreamId('streamId', 'order-\u2066x')).message).toBe(
      'streamId: must not contain control or bidirectional formatting characters (U+2066 at index 6)',
    );
    for (const value of ['a\tb', 'a\u007f', 'a\u0085', 'a\u200fb', 'a\u202ab']) expect(rejection(() => checkStreamId('streamId', value)).code).toBe('BAD_USER_INPUT');
    for (const value of ['طلب-42', 'הזמנה-7', 'заказ 9', 'a\u200db']) expect(checkStreamId('streamId', value)).toBe(value);
  });
});

describe('checkName and checkText', () => {
  it('take names of 1 to 255 characters', () => {
    expect(checkName('type', 'an event type', 'x'.repeat(255))).toHaveLength(255);
    expect(rejection(() => checkName('type', 'an event type', '')).message).toBe('type: an event type must not be empty');
    expect(rejection(() => checkName('type', 'an event type', 'x'.repeat(256))).code).toBe('BAD_USER_INPUT');
  });

  it('refuse U+0000 and lone surrogates anywhere', () => {
    expect(rejection(() => checkName('type', 'an event type', 'a\u0000')).code).toBe('BAD_USER_INPUT');
    expect(rejection(() => checkText('after', `${LONE_SURROGATE}x`)).code).toBe('BAD_USER_INPUT');
    expect(checkText('after', 'a😀b')).toBe('a😀b');
  });
});

describe('checkNonNegative', () => {
  it('takes 0 and up, and passes absence on', () => {
    expect(checkNonNegative('version', 0)).toBe(0);
    expect(checkNonNegative('version', null)).toBeUndefined();
    expect(rejection(() => checkNonNegative('version', -1)).message).toBe('version: must be 0 or more, got -1');
  });
});

describe('checkJsonSize', () => {
  it('answers the JSON text, up to the byte limit inclusive', () => {
    // {"s":"é"} is 10 bytes: é takes two.
    expect(checkJsonSize('data', { s: 'é' }, 10)).toBe('{"s":"é"}');
    expect(rejection(() => checkJsonSize('data', { s: 'é' }, 9)).message).toBe('data: is 10 bytes of JSON, more than the limit of 9');
    expect(checkJsonSize('data', undefined, 10)).toBe('null');
  });

  it('refuses U+0000 and lone surrogates at any depth, but not their escaped spelling as text', () => {
    expect(rejection(() => checkJsonSize('data', { a: [{ b: 'x\u0000' }] }, 1000)).code).toBe('BAD_USER_INPUT');
    expect(rejection(() => checkJsonSize('data', { [`k${LONE_SURROGATE}`]: 1 }, 1000)).code).toBe('BAD_USER_INPUT');
    // A backslash followed by "u0000", as a user may type it: six ordinary characters.
    expect(checkJsonSize('data', { s: '\\u0000' }, 1000)).toBe('{"s":"\\\\u0000"}');
    expect(checkJsonSize('data', { s: '\\\\ud800' }, 1000)).toBe('{"s":"\\\\\\\\ud800"}');
  });
});

describe('checkJsonValue', () => {
  /** Arrays in arrays, `depth` deep, built without recursion. */
  const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;

  it('accepts scalars and arrays and objects nested up to the limit', () => {
    for (const value of [null, 1, 'text', true, [], {}, nested(3), { a: [{ b: 1 }] }]) expect(() => checkJsonValue('data', value, 3)).not.toThrow();
  });

  it('refuses one level more, wherever it is, as LIMIT_EXCEEDED naming the field', () => {
    for (const value of [nested(4), { a: [{ b: [] }] }, [1, 'x', { a: { b: { c: 1 } } }]]) {
      expect(rejection(() => checkJsonValue('input.events[0].data', value, 3))).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'input.events[0].data' });
    }
  });

  it('refuses a number JSON cannot write (read as Infinity), wherever it is, as BAD_USER_INPUT naming the field', () => {
    for (const value of [Infinity, { a: -Infinity }, [1, { b: [Infinity] }]]) {
      expect(rejection(() => checkJsonValue('input.data', value, 3))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.data' });
    }
    expect(() => checkJsonValue('input.data', { a: Number.MAX_VALUE, b: -0 }, 3)).not.toThrow();
  });

  it('walks a value far deeper than the stack allows without overflowing it', () => {
    expect(rejection(() => checkJsonValue('pattern', nested(200_000), 64)).message).toBe('pattern: nests arrays and objects deeper than 64 levels (GATER_MAX_JSON_DEPTH)');
  });
});

describe('checkUuid, checkStreamPrefix, checkEventTypes', () => {
  it('quote no more than 64 characters of what they refuse', () => {
    expect(rejection(() => checkUuid('id', 'x'.repeat(1_000_000))).message).toBe(`id: "${'x'.repeat(64)}…" is not a UUID`);
  });

  it('take a prefix as long as a stream id, and refuse a longer one or one holding U+0000', () => {
    expect(checkStreamPrefix('prefix', '😀'.repeat(255))).toBe('😀'.repeat(255));
    expect(checkStreamPrefix('prefix', '')).toBe('');
    expect(rejection(() => checkStreamPrefix('prefix', 'p'.repeat(256)))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prefix' });
    expect(rejection(() => checkStreamPrefix('prefix', 'a\u0000'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prefix' });
  });

  it('take up to 100 event types, each a name, and refuse more', () => {
    const types = Array.from({ length: 100 }, (_, index) => `T${index}`);
    expect(checkEventTypes('filter.eventTypes', types)).toEqual(types);
    expect(rejection(() => checkEventTypes('filter.eventTypes', [...types, 'T100']))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.eventTypes' });
    expect(rejection(() => checkEventTypes('filter.eventTypes', ['A', '']))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.eventTypes[1]' });
  });
});
