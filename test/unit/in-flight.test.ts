import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/server/in-flight.js';

describe('InFlight', () => {
  it('counts work from its start until it settles, whether it answers at once, later, or fails', async () => {
    const inFlight = new InFlight();
    expect(inFlight.track(() => 1)).toBe(1);
    let finish!: () => void;
    const later = inFlight.track(() => new Promise<void>((resolve) => (finish = resolve)));
    const failing = inFlight.track(() => Promise.reject(new Error('no'))) as Promise<never>;
    expect(() => inFlight.track(() => {
      throw new Error('at once');
    })).toThrow('at once');
    expect(inFlight.count).toBe(2);
    await expect(failing).rejects.toThrow('no');
    expect(inFlight.count).toBe(1);
    finish();
    await later;
    expect(inFlight.count).toBe(0);
  });

  it('answers what onFailure makes of a failure, thrown or rejected, and ends the count either way', async () => {
    const inFlight = new InFlight();
    const answer = (error: unknown) => `handled ${(error as Error).message}`;
    expect(inFlight.track(() => {
      throw new Error('at once');
    }, answer)).toBe('handled at once');
    const rejected = inFlight.track(() => Promise.reject(new Error('later')), answer);
    expect(inFlight.count).toBe(1);
    await expect(rejected).resolves.toBe('handled later');
    await expect(inFlight.track(() => Promise.resolve('fine'), answer)).resolves.toBe('fine');
    expect(inFlight.count).toBe(0);
  });

  it('ends a begun piece of work once, however often its end is called', () => {
    const inFlight = new InFlight();
    const end = inFlight.begin();
    inFlight.begin();
    end();
    end();
    expect(inFlight.count).toBe(1);
  });

  it('settles true once nothing is in flight, and false when the time runs out first', async () => {
    const inFlight = new InFlight();
    const end = inFlight.begin();
    setTimeout(end, 50);
    let looks = 0;
    expect(await inFlight.settled(5_000, () => looks++)).toBe(true);
    expect(looks).toBeGreaterThan(1);
    inFlight.begin();
    const started = performance.now();
    expect(await inFlight.settled(100)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });
});
