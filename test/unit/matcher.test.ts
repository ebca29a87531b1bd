import { describe, expect, it } from 'vitest';
import { compileSubsetMatcher } from '../../src/subscriptions/matcher.js';

const matches = (pattern: unknown, value: unknown) => compileSubsetMatcher(pattern)(value);

describe('compileSubsetMatcher', () => {
  it('matches an object that has every key of the pattern, whatever else it has', () => {
    expect(matches({ kind: 'order' }, { kind: 'order', total: 5 })).toBe(true);
    expect(matches({ kind: 'order', total: 5 }, { kind: 'order' })).toBe(false);
    expect(matches({ kind: 'order' }, { kind: 'refund' })).toBe(false);
  });

  it('applies the subset rule at every depth of nested objects', () => {
    expect(matches({ customer: { address: { city: 'Oslo' } } }, { customer: { name: 'Ada', address: { city: 'Oslo', zip: '0150' } } })).toBe(true);
    expect(matches({ customer: { address: { city: 'Oslo' } } }, { customer: { address: { city: 'Bergen' } } })).toBe(false);
    expect(matches({ customer: {} }, { customer: 'Ada' })).toBe(false);
  });

  it('wants an array exactly: same items, same order, same length', () => {
    expect(matches({ tags: ['a', 'b'] }, { tags: ['a', 'b'] })).toBe(true);
    expect(matches({ tags: ['a'] }, { tags: ['a', 'b'] })).toBe(false);
    expect(matches({ tags: ['a', 'b'] }, { tags: ['a'] })).toBe(false);
    expect(matches({ tags: ['b', 'a'] }, { tags: ['a', 'b'] })).toBe(false);
  });

  it('compares objects inside arrays exactly, not as subsets', () => {
    expect(matches({ lines: [{ sku: 'x' }] }, { lines: [{ sku: 'x' }] })).toBe(true);
    expect(matches({ lines: [{ sku: 'x' }] }, { lines: [{ sku: 'x', quantity: 2 }] })).toBe(false);
    expect(matches({ lines: [{ sku: 'x', quantity: 2 }] }, { lines: [{ sku: 'x' }] })).toBe(false);
  });

  it('tells an object from an array, and a value from its type: 1 is not "1", null is not {}', () => {
    expect(matches({ 0: 'a' }, ['a'])).toBe(false);
    expect(matches({}, [])).toBe(false);
    expect(matches({}, null)).toBe(false);
    expect(matches({ n: 1 }, { n: '1' })).toBe(false);
    expect(matches({ flag: null }, { flag: false })).toBe(false);
    expect(matches({ flag: null }, {})).toBe(false);
  });

  it('matches a scalar or array pattern against an equal value only', () => {
    expect(matches('order', 'order')).toBe(true);
    expect(matches(null, null)).toBe(true);
    expect(matches([1, { a: 1 }], [1, { a: 1 }])).toBe(true);
    expect(matches(5, 6)).toBe(false);
  });

  it('matches any object with an empty object pattern', () => {
    expect(matches({}, { anything: true })).toBe(true);
  });

  it('matches patterns and values nested thousands deep without overflowing the stack', () => {
    const nest = (depth: number, wrap: (inner: unknown) => unknown, leaf: unknown) => {
      let value = leaf;
      for (let level = 0; level < depth; level++) value = wrap(value);
      return value;
    };
    const deepArray = (leaf: unknown) => nest(100_000, (inner) => [inner], leaf);
    const deepObject = (leaf: unknown) => nest(100_000, (inner) => ({ a: inner, b: 1 }), leaf);
    expect(matches({ data: deepArray('x') }, { data: deepArray('x') })).toBe(true);
    expect(matches({ data: deepArray('x') }, { data: deepArray('y') })).toBe(false);
    expect(matches(deepObject({ leaf: true }), deepObject({ leaf: true, more: 1 }))).toBe(true);
    expect(matches(deepObject({ leaf: true }), deepObject({ leaf: false }))).toBe(false);
  });

  it('names only keys the value has itself, not those it inherits', () => {
    expect(matches({ toString: {} }, {})).toBe(false);
    expect(matches({ constructor: 'Object' }, {})).toBe(false);
  });
});
