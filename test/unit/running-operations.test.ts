import { describe, expect, it } from 'vitest';
import { RunningOperations } from '../../src/server/running-operations.js';

describe('RunningOperations', () => {
  it('admits operations up to the limit, counting only those graphql-ws still runs', () => {
    const running: Record<string, null> = {};
    const operations = new RunningOperations();
    const subscribe = (id: string) => {
      running[id] = null;
      const admitted = operations.admit(id, running, 3);
      if (!admitted) delete running[id];
      return admitted;
    };
    expect(['1', '2', '3'].map(subscribe)).toEqual([true, true, true]);
    expect(subscribe('4')).toBe(false);
    delete running['2'];
    expect(subscribe('5')).toBe(true);
    expect(subscribe('6')).toBe(false);
    // Ended operations free their place however many came and went in between.
    for (let round = 0; round < 1000; round++) {
      delete running['5'];
      expect(subscribe('5')).toBe(true);
    }
    expect(subscribe('7')).toBe(false);
  });

  it('counts an id used again after its operation ended once', () => {
    const running: Record<string, null> = {};
    const operations = new RunningOperations();
    running.a = null;
    expect(operations.admit('a', running, 1)).toBe(true);
    delete running.a;
    running.a = null;
    expect(operations.admit('a', running, 1)).toBe(true);
    running.b = null;
    expect(operations.admit('b', running, 1)).toBe(false);
  });

  it('keeps at most twice the operations running, however high the limit and however many came and went', () => {
    const running: Record<string, null> = {};
    const operations = new RunningOperations();
    for (let index = 0; index < 10; index++) running[`live-${index}`] = null;
    for (const id of Object.keys(running)) operations.admit(id, running, 100_000);
    for (let index = 0; index < 10_000; index++) {
      running[`short-${index}`] = null;
      expect(operations.admit(`short-${index}`, running, 100_000)).toBe(true);
      delete running[`short-${index}`];
      expect(operations.kept).toBeLessThanOrEqual(64 + 1);
    }
  });
});
