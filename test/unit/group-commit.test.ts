import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../src/store/log/group-commit.js';

interface Request {
  name: string;
  size: number;
  bytes?: number;
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A fake commit that records each batch and waits until the test releases it.
 * Outcomes are `${name}:ok`; a batch holding a request named `poison*` fails as a whole.
 */
function controlledCommitter(maxBatchSize = 100, maxBatchBytes?: number) {
  const batches: string[][] = [];
  const gates: ReturnType<typeof deferred<void>>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const committer = new GroupCommitter<Request, string>({
    sizeOf: (request) => request.size,
    maxBatchSize,
    bytesOf: (request) => request.bytes ?? 0,
    maxBatchBytes,
    commit: async (requests) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      batches.push(requests.map((request) => request.name));
      const gate = deferred<void>();
      gates.push(gate);
      try {
        await gate.promise;
        if (requests.some((request) => request.name.startsWith('poison'))) throw new Error('batch refused');
        return requests.map((request) => `${request.name}:ok`);
      } finally {
        inFlight--;
      }
    },
  });
  return {
    committer,
    batches,
    get maxInFlight() {
      return maxInFlight;
    },
    /** Releases every batch committing now and then those that follow, until the queue is empty. */
    async releaseAll() {
      for (let released = 0; ; released++) {
        await settle();
        const gate = gates[released];
        if (!gate) return;
        gate.resolve();
      }
    },
    async releaseNext() {
      await settle();
      gates.shift()!.resolve();
      await settle();
    },
  };
}

const req = (name: string, size = 1): Request => ({ name, size });

describe('GroupCommitter', () => {
  it('commits a lone request at once, in a batch of its own, and answers its outcome', async () => {
    const fake = controlledCommitter();
    const outcome = fake.committer.submit(req('a'));
    expect(fake.batches).toEqual([['a']]);
    await fake.releaseAll();
    await expect(outcome).resolves.toBe('a:ok');
  });

  it('requests arriving while a batch commits wait and go together in the next batch, in arrival order', async () => {
    const fake = controlledCommitter();
    const outcomes = [fake.committer.submit(req('a'))];
    outcomes.push(fake.committer.submit(req('b')), fake.committer.submit(req('c')), fake.committer.submit(req('d')));
    expect(fake.batches).toEqual([['a']]);
    await fake.releaseAll();
    expect(fake.batches).toEqual([['a'], ['b', 'c', 'd']]);
    expect(await Promise.all(outcomes)).toEqual(['a:ok', 'b:ok', 'c:ok', 'd:ok']);
  });

  it('starts the next batch before the requests of the batch just committed hear their outcome', async () => {
    const fake = controlledCommitter();
    const heard: string[][] = [];
    fake.committer.submit(req('a')).then(() => heard.push([...fake.batches.flat()]));
    fake.committer.submit(req('b'));
    await fake.releaseNext();
    expect(heard).toEqual([['a', 'b']]);
    await fake.releaseAll();
  });

  it('never runs two commits at once', async () => {
    const fake = controlledCommitter(2);
    const outcomes = Array.from({ length: 9 }, (_, index) => fake.committer.submit(req(`r${index}`)));
    await fake.releaseAll();
    await Promise.all(outcomes);
    expect(fake.maxInFlight).toBe(1);
    expect(fake.batches.flat()).toEqual(Array.from({ length: 9 }, (_, index) => `r${index}`));
  });

  it('closes a batch before it would exceed maxBatchSize, counting each request by its size', async () => {
    const fake = controlledCommitter(5);
    const outcomes = [fake.committer.submit(req('first'))];
    for (const [name, size] of [['a', 2], ['b', 2], ['c', 1], ['d', 4], ['e', 3], ['f', 2]] as const) {
      outcomes.push(fake.committer.submit(req(name, size)));
    }
    await fake.releaseAll();
    expect(fake.batches).toEqual([['first'], ['a', 'b', 'c'], ['d'], ['e', 'f']]);
    await Promise.all(outcomes);
  });

  it('also closes a batch before its payloads would exceed maxBatchBytes, and sends an oversized one alone', async () => {
    const fake = controlledCommitter(100, 100);
    const outcomes = [fake.committer.submit(req('first'))];
    for (const [name, bytes] of [['a', 40], ['b', 40], ['c', 40], ['huge', 500], ['d', 10]] as const) {
      outcomes.push(fake.committer.submit({ name, size: 1, bytes }));
    }
    await fake.releaseAll();
    expect(fake.batches).toEqual([['first'], ['a', 'b'], ['c'], ['huge'], ['d']]);
    await Promise.all(outcomes);
  });

  it('sends a request larger than maxBatchSize alone rather than never', async () => {
    const fake = controlledCommitter(5);
    const outcomes = [fake.committer.submit(req('first'))];
    outcomes.push(fake.committer.submit(req('huge', 50)), fake.committer.submit(req('small')));
    await fake.releaseAll();
    expect(fake.batches).toEqual([['first'], ['huge'], ['small']]);
    expect(await Promise.all(outcomes)).toEqual(['first:ok', 'huge:ok', 'small:ok']);
  });

  it('retries a failed batch request by request, so one poisoned request fails alone', async () => {
    const fake = controlledCommitter();
    const first = fake.committer.submit(req('first'));
    const good1 = fake.committer.submit(req('good1'));
    const poison = fake.committer.submit(req('poison'));
    const good2 = fake.committer.submit(req('good2'));
    const poisonResult = poison.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await fake.releaseAll();
    expect(fake.batches).toEqual([['first'], ['good1', 'poison', 'good2'], ['good1'], ['poison'], ['good2']]);
    expect(await Promise.all([first, good1, good2])).toEqual(['first:ok', 'good1:ok', 'good2:ok']);
    expect(await poisonResult).toBe('batch refused');
  });

  it('rejects a lone failing request with its error and goes on committing later ones', async () => {
    const fake = controlledCommitter();
    const poison = fake.committer.submit(req('poison-alone'));
    const rejected = poison.catch((error: Error) => error.message);
    const later = fake.committer.submit(req('later'));
    await fake.releaseAll();
    expect(await rejected).toBe('batch refused');
    await expect(later).resolves.toBe('later:ok');
    expect(fake.batches).toEqual([['poison-alone'], ['later']]);
  });

  it('starts again once idle: a request after the queue drained commits at once', async () => {
    const fake = controlledCommitter();
    const a = fake.committer.submit(req('a'));
    await fake.releaseNext();
    await expect(a).resolves.toBe('a:ok');
    const b = fake.committer.submit(req('b'));
    expect(fake.batches).toEqual([['a'], ['b']]);
    await fake.releaseNext();
    await expect(b).resolves.toBe('b:ok');
  });

  it('answers each caller its own outcome when the commit answers in request order', async () => {
    const committer = new GroupCommitter<number, number>({
      sizeOf: () => 1,
      maxBatchSize: 1000,
      commit: async (requests) => {
        await settle();
        return requests.map((request) => request * 10);
      },
    });
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, index) => committer.submit(index)));
    expect(outcomes).toEqual(Array.from({ length: 50 }, (_, index) => index * 10));
  });

  it('fails a whole batch at once when the error says a retry alone would not help, such as an outcome not known', async () => {
    const since: number[] = [];
    const committer = new GroupCommitter<string, string>({
      sizeOf: () => 1,
      maxBatchSize: 100,
      retryAlone: (error) => (error as Error).message !== 'outcome unknown',
      commit: async (requests, oldest) => {
        since.push(oldest);
        await settle();
        if (requests.length > 1) throw new Error('outcome unknown');
        return requests.map((request) => `${request}:ok`);
      },
    });
    const first = committer.submit('first');
    const before = performance.now();
    const batch = ['a', 'b', 'c'].map((name) => committer.submit(name).catch((error: Error) => error.message));
    const after = performance.now();
    await expect(first).resolves.toBe('first:ok');
    expect(await Promise.all(batch)).toEqual(['outcome unknown', 'outcome unknown', 'outcome unknown']);
    // A batch keeps the time its oldest request was submitted, not when the batch was sent.
    expect(since).toHaveLength(2);
    expect(since[1]).toBeGreaterThanOrEqual(before);
    expect(since[1]).toBeLessThanOrEqual(after);
  });

  it('keeps the earliest start of its requests, one that brought a start of its own before it was submitted included', async () => {
    const since: number[] = [];
    const release = deferred();
    const committer = new GroupCommitter<string, string>({
      sizeOf: () => 1,
      maxBatchSize: 100,
      commit: async (requests, earliest) => {
        since.push(earliest);
        await release.promise;
        return requests.map((request) => `${request}:ok`);
      },
    });
    const first = committer.submit('first');
    const late = committer.submit('late');
    const started = performance.now() - 5_000;
    const early = committer.submit('early', started);
    release.resolve();
    expect(await Promise.all([first, late, early])).toEqual(['first:ok', 'late:ok', 'early:ok']);
    // The second batch holds 'late' and then 'early', whose time started first: the batch's deadline is its.
    expect(since[1]).toBe(started);
  });
});
