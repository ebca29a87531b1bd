import { describe, expect, it } from 'vitest';
import { OncePerInterval } from '../../src/once-per-interval.js';

describe('OncePerInterval', () => {
  it('lets a cause through once per interval, and tells how many were left out with the next line', () => {
    let now = 0;
    const limiter = new OncePerInterval(1_000, () => now);
    expect(limiter.admit('pool exhausted')).toEqual({ leftOut: 0 });
    for (let i = 0; i < 3_000; i++) expect(limiter.admit('pool exhausted')).toBeNull();
    expect(limiter.admit('another cause')).toEqual({ leftOut: 0 });
    now = 1_000;
    const next = limiter.admit('pool exhausted')!;
    expect(next).toEqual({ leftOut: 3_000 });
    expect(OncePerInterval.suffix(next)).toBe(' (3000 more like it left out of the log)');
    expect(OncePerInterval.suffix({ leftOut: 0 })).toBe('');
  });
});
