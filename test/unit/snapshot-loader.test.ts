import { describe, expect, it } from 'vitest';
import { createLoaders } from '../../src/resolvers/loaders.js';
import type { EventStore } from '../../src/store/event-store.js';
import type { RecordedSnapshot, SnapshotQuery } from '../../src/store/snapshots/types.js';

/** Only the store's batch read, recording each batch it is asked: the loader's keying is what is under test. */
function fakeStore(id: string) {
  const batches: SnapshotQuery[][] = [];
  const store = {
    id,
    snapshots: {
      read: async (queries: readonly SnapshotQuery[]): Promise<(RecordedSnapshot | null)[]> => {
        batches.push([...queries]);
        return queries.map((query) =>
          query.streamUuid === 'missing'
            ? null
            : { ...query, storeId: id, version: query.version ?? 99, sourceType: null, data: {}, metadata: null, createdEpoch: 0 },
        );
      },
    },
  };
  return { store: store as unknown as EventStore, batches };
}

describe('the snapshot loader', () => {
  it('reads every snapshot one request asks of a store in one batch, each key once', async () => {
    const { store, batches } = fakeStore('a');
    const loader = createLoaders().snapshot(store);
    const asked: SnapshotQuery[] = [
      { sourceUuid: 's', streamUuid: 't', version: null },
      { sourceUuid: 's', streamUuid: 't', version: 3 },
      { sourceUuid: 's', streamUuid: 't', version: null },
      { sourceUuid: 's', streamUuid: 'missing', version: null },
      { sourceUuid: 's', streamUuid: 't', version: 3 },
    ];
    const answers = await Promise.all(asked.map((query) => loader.load(query)));

    expect(batches).toEqual([
      [
        { sourceUuid: 's', streamUuid: 't', version: null },
        { sourceUuid: 's', streamUuid: 't', version: 3 },
        { sourceUuid: 's', streamUuid: 'missing', version: null },
      ],
    ]);
    expect(answers.map((answer) => answer?.version ?? null)).toEqual([99, 3, 99, null, 3]);
  });

  it('keeps the latest apart from every exact version, and keys apart whatever characters they hold', async () => {
    const { store, batches } = fakeStore('a');
    const loader = createLoaders().snapshot(store);
    const asked: SnapshotQuery[] = [
      { sourceUuid: 'a,b', streamUuid: 'c', version: null },
      { sourceUuid: 'a', streamUuid: 'b,c', version: null },
      { sourceUuid: 'a', streamUuid: 'b,c', version: 0 },
    ];
    const answers = await Promise.all(asked.map((query) => loader.load(query)));
    expect(batches).toEqual([asked]);
    // Each answer is the one read for its own key: the fake store answers the latest as version 99.
    expect(answers.map((answer) => answer && [answer.sourceUuid, answer.streamUuid, answer.version])).toEqual([
      ['a,b', 'c', 99],
      ['a', 'b,c', 99],
      ['a', 'b,c', 0],
    ]);
  });

  it('batches per store', async () => {
    const a = fakeStore('a');
    const b = fakeStore('b');
    const loaders = createLoaders();
    const query = { sourceUuid: 's', streamUuid: 't', version: null };
    await Promise.all([loaders.snapshot(a.store).load(query), loaders.snapshot(b.store).load(query)]);
    expect([a.batches, b.batches]).toEqual([[[query]], [[query]]]);
  });
});
