import { describe, expect, it } from 'vitest';
import { headerMemo } from '../../src/server/header-memo.js';

describe('headerMemo', () => {
  it('answers as the decision does, telling a missing header from an empty one, and decides each kept value once', () => {
    const asked: (string | undefined)[] = [];
    const memo = headerMemo((value) => {
      asked.push(value);
      return value === undefined ? 'missing' : `[${value}]`;
    });
    expect([memo(undefined), memo(''), memo('a'), memo(undefined), memo(''), memo('a')]).toEqual(['missing', '[]', '[a]', 'missing', '[]', '[a]']);
    expect(asked).toEqual([undefined, '', 'a']);
  });

  it('keeps no value longer than 256 characters and at most 64 values', () => {
    let decisions = 0;
    const memo = headerMemo((value) => (decisions++, value?.length));
    const long = 'x'.repeat(257);
    memo(long);
    memo(long);
    expect(decisions).toBe(2);
    decisions = 0;
    for (let index = 0; index < 65; index++) memo(`host-${index}`);
    // The 65th value found the memo full, which started again with only it.
    memo('host-0');
    memo('host-64');
    expect(decisions).toBe(66);
  });
});
