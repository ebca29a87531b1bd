import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mostFieldRepeats } from '../../src/server/field-repeats.js';

describe('mostFieldRepeats', () => {
  it('counts a response name within one selection set, its inline fragments included, and not across sets or aliases', () => {
    expect(mostFieldRepeats(parse('{ a a b }'))).toBe(2);
    expect(mostFieldRepeats(parse('{ a ... on Query { a ... { a } } x: a }'))).toBe(3);
    expect(mostFieldRepeats(parse('{ s { a a a } t { a a } }'))).toBe(3);
    expect(mostFieldRepeats(parse('query { s { b } } fragment F on T { c c c c }'))).toBe(4);
  });

  it('counts the fields of a named fragment in the fragment, where validation compares them', () => {
    expect(mostFieldRepeats(parse('{ a ...F ...F } fragment F on Query { a }'))).toBe(1);
  });
});
