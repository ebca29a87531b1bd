import { afterAll, describe, expect, it } from 'vitest';
import { appendSuccess, newEvents, readAll, readStream, startTestGateway, storeView, type TestGateway } from '../support/test-gateway.js';

const started: TestGateway[] = [];
afterAll(async () => {
  // The first gateway made the database; every later one only borrowed it.
  for (const gateway of [...started].reverse()) await gateway.stop({ keepDatabase: true });
  await started[0]?.dropDatabase();
});

describe('a gateway restarted on the same database', () => {
  it('reads back every event identical: ids, versions, positions, data, metadata and created', async () => {
    const first = await startTestGateway({ stores: ['main', 'side'] });
    started.push(first);
    const appended = [
      await appendSuccess(first, {
        store: 'main',
        streamId: 'doc-1',
        expectedVersion: -1,
        events: [
          { ...newEvents(1)[0]!, type: 'Created', data: { title: 'Hello', tags: ['a', 'b'], nested: { n: 1.5, ok: true, none: null } }, metadata: { user: 'ann' } },
          { ...newEvents(1)[0]!, type: 'Noted', data: 'just a string', contentType: 'text/plain' },
          { ...newEvents(1)[0]!, type: 'Empty' },
        ],
      }),
      await appendSuccess(first, { store: 'main', streamId: 'doc-2', events: newEvents(4) }),
      await appendSuccess(first, { store: 'main', streamId: 'doc-1', expectedVersion: 2, events: newEvents(2) }),
      await appendSuccess(first, { store: 'side', streamId: 'doc-1', events: newEvents(1) }),
    ];
    const mainLog = await readAll(first, 'main');
    const sideLog = await readAll(first, 'side');
    const stats = { main: await storeView(first, 'main'), side: await storeView(first, 'side') };
    // What the appends answered is what was stored.
    expect(mainLog).toEqual(appended.slice(0, 3).flatMap((result) => result.events).sort((x, y) => x.position - y.position));

    await first.stop({ keepDatabase: true });
    const second = await startTestGateway({ stores: ['main', 'side'], databaseUrl: first.databaseUrl });
    started.push(second);

    expect(await readAll(second, 'main')).toEqual(mainLog);
    expect(await readAll(second, 'side')).toEqual(sideLog);
    expect(await readStream(second, 'doc-1', 'main')).toEqual(mainLog.filter((event) => event.streamId === 'doc-1'));
    expect(await storeView(second, 'main')).toEqual(stats.main);
    expect(await storeView(second, 'side')).toEqual(stats.side);

    // And it carries on where the first one stopped.
    const next = await appendSuccess(second, { store: 'main', streamId: 'doc-1', expectedVersion: 4, events: newEvents(1) });
    expect(next.version).toBe(5);
    expect(next.position).toBe(mainLog.length + 1);

    // A retry of an append made before the restart is still recognised.
    const retried = await appendSuccess(second, {
      store: 'main',
      streamId: 'doc-2',
      events: appended[1]!.events.map(({ id, type, data }) => ({ id, type, data })),
    });
    expect(retried.events.map((event) => event.position)).toEqual(appended[1]!.events.map((event) => event.position));
  });
});
