import { beforeAll, expect, it, vi } from 'vitest';
import type { EventStore } from '../../src/store/event-store.js';
import type { ReadAllOptions } from '../../src/store/log/read-all.js';
import { batchedLeaderPages } from '../../src/subscriptions/batched-pages.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const PAGE_SIZE = 4;
const gw = useGateway();
let store: EventStore;

beforeAll(async () => {
  store = gw.gateway.stores.find('default')!;
  for (const [index, streamId] of ['p-0', 'p-1', 'p-2'].entries()) {
    await appendSuccess(gw, { streamId, events: newEvents(2 + 3 * index) });
  }
});

const fromStart: ReadAllOptions = { direction: 'forward', fromPosition: 1, eventTypes: undefined, streamPrefix: undefined, limit: PAGE_SIZE };

it('reads the stream pages asked for in one tick in one query, each as if read alone', async () => {
  const pages = batchedLeaderPages(store.log, PAGE_SIZE);
  const batched = vi.spyOn(store.log, 'readStreamPages');
  const requests = [
    { streamId: 'p-2', fromVersion: 0, limit: PAGE_SIZE },
    { streamId: 'p-0', fromVersion: 1, limit: PAGE_SIZE },
    { streamId: 'missing', fromVersion: 0, limit: PAGE_SIZE },
    { streamId: 'p-2', fromVersion: 4, limit: PAGE_SIZE },
    { streamId: 'p-1', fromVersion: 0, limit: PAGE_SIZE },
  ];
  const answers = await Promise.all(requests.map((request) => pages.streamPage(request)));
  expect(batched).toHaveBeenCalledTimes(1);
  batched.mockRestore();
  const alone = await Promise.all(requests.map((request) => store.log.readStream({ ...request, direction: 'forward' }, { fromLeader: true })));
  expect(answers).toEqual(alone);
  expect(answers.map((page) => [page.items.map((event) => event.version), page.hasMore])).toEqual([
    [[0, 1, 2, 3], true],
    [[1], false],
    [[], false],
    [[4, 5, 6, 7], false],
    [[0, 1, 2, 3], true],
  ]);
});

it('reads a log page that several subscriptions ask for in one tick once', async () => {
  const pages = batchedLeaderPages(store.log, PAGE_SIZE);
  const reads = vi.spyOn(store.log, 'readAll');
  const later = { ...fromStart, fromPosition: 3 };
  const [first, second, third, other] = await Promise.all([
    pages.logPage(fromStart),
    pages.logPage({ ...fromStart }),
    pages.logPage(fromStart),
    pages.logPage(later),
  ]);
  expect(reads).toHaveBeenCalledTimes(2);
  reads.mockRestore();
  expect(first!.items.map((event) => event.position)).toEqual([1, 2, 3, 4]);
  expect(second).toEqual(first);
  expect(third).toEqual(first);
  expect(other!.items.map((event) => event.position)).toEqual([3, 4, 5, 6]);
});

it('fails only the read that fails, when it shares a batch with others', async () => {
  const pages = batchedLeaderPages(store.log, PAGE_SIZE);
  // A version beyond PostgreSQL's int fails the shared query, then that page alone.
  const [good, bad, alsoGood] = await Promise.allSettled([
    pages.streamPage({ streamId: 'p-1', fromVersion: 0, limit: PAGE_SIZE }),
    pages.streamPage({ streamId: 'p-1', fromVersion: 2 ** 31, limit: PAGE_SIZE }),
    pages.streamPage({ streamId: 'p-0', fromVersion: 0, limit: PAGE_SIZE }),
  ]);
  expect(good).toMatchObject({ status: 'fulfilled', value: { hasMore: true } });
  expect(bad).toMatchObject({ status: 'rejected' });
  expect(alsoGood).toMatchObject({ status: 'fulfilled', value: { hasMore: false } });

  const [logGood, logBad] = await Promise.allSettled([pages.logPage(fromStart), pages.logPage({ ...fromStart, fromPosition: 2 ** 70 })]);
  expect(logGood).toMatchObject({ status: 'fulfilled' });
  expect(logBad).toMatchObject({ status: 'rejected' });
});
