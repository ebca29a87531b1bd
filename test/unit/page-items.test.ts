import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/index.js';
import { pageItemsOf } from '../../src/server/use-page-items-budget.js';

const schema = buildSchema();
const sizes = { defaultPageSize: 100, maxPageSize: 1000 };
const items = (query: string, variables?: Record<string, unknown>, operationName?: string) => pageItemsOf(schema, parse(query), operationName, variables, sizes);

describe('pageItemsOf', () => {
  it('adds the first of every connection, counting 100 where it is absent', () => {
    expect(items('{ stores { id } }')).toBe(0);
    expect(items('{ events(first: 10) { edges { cursor } } a: events { edges { cursor } } streams(first: 5) { edges { cursor } } }')).toBe(115);
  });

  it('takes first from variables, or their defaults', () => {
    const query = 'query Q($n: Int, $m: Int = 7) { a: events(first: $n) { edges { cursor } } b: events(first: $m) { edges { cursor } } }';
    expect(items(query, { n: 3 })).toBe(10);
    expect(items(query, { n: null, m: 1 })).toBe(101);
  });

  it('counts what a refused first could ask for at most, and garbage as the default', () => {
    expect(items('{ events(first: 5000) { edges { cursor } } }')).toBe(1000);
    expect(items('{ events(first: -5) { edges { cursor } } }')).toBe(0);
    expect(items('query Q($n: Int) { events(first: $n) { edges { cursor } } }', { n: 'ten' })).toBe(100);
  });

  it('counts a nested connection once per item of the one around it, through fragments', () => {
    const query = `query Q { streams(first: 10) { ...Page } }
      fragment Page on StreamConnection { edges { node { events(first: 20) { edges { cursor } } ... on Stream { id } } } }`;
    expect(items(query)).toBe(10 + 10 * 20);
  });

  it('counts a fragment spread many times at every spread, having read it once', () => {
    const spreads = Array.from({ length: 20 }, (_, index) => `a${index}: events(first: 10) { ...E }`).join(' ');
    expect(items(`{ ${spreads} } fragment E on EventConnection { edges { cursor } }`)).toBe(200);
  });

  it('counts only the operation that runs', () => {
    const query = 'query A { events(first: 1) { edges { cursor } } } query B { events(first: 2) { edges { cursor } } }';
    expect(items(query, undefined, 'B')).toBe(2);
  });
});
