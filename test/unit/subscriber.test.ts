import { describe, expect, it, vi } from 'vitest';
import type { Erasure } from '../../src/store/erasures.js';
import { jsonSizeOf } from '../../src/store/event-size.js';
import type { RecordedEvent } from '../../src/store/types.js';
import type { HistoryReader } from '../../src/subscriptions/history.js';
import type { Selection } from '../../src/subscriptions/selection.js';
import { RecentErasures } from '../../src/subscriptions/recent-erasures.js';
import { BufferPool } from '../../src/subscriptions/buffer-pool.js';
import { Subscriber } from '../../src/subscriptions/subscriber.js';
import { Inbox, settled } from '../support/inbox.js';
import { positionsOf, recordedEvent } from '../support/recorded-event.js';

/**
 * The global log as the history reader sees it. A read looks at `limit`
 * events and answers those `selects` wants, as the SQL prefilter and the
 * exact match do together. `duringRead` runs after a read has taken its
 * snapshot and before it answers: what it appends then is committed too
 * late for that read, as when the tailer sees an append that a concurrent
 * history query does not.
 */
function fakeLog(selects: (event: RecordedEvent) => boolean = () => true) {
  const events: RecordedEvent[] = [];
  const limits: number[] = [];
  const byteLimits: number[] = [];
  let duringRead: (() => void) | undefined;
  const history: HistoryReader = async (afterKey, limit, maxBytes) => {
    // A subscriber that reads the same place over and over would never end the test.
    if (limits.push(limit) > 100) throw new Error('read the log more than 100 times');
    byteLimits.push(maxBytes);
    const rest = events.filter((event) => event.position > afterKey);
    let scanned = rest.slice(0, limit);
    // As the SQL cuts a page: once the bytes before an event reach the bound, it and those after it wait.
    let bytes = 0;
    const cut = scanned.findIndex((event) => (bytes += jsonSizeOf(event)) - jsonSizeOf(event) >= maxBytes);
    if (cut !== -1) scanned = scanned.slice(0, cut);
    const hook = duringRead;
    duringRead = undefined;
    hook?.();
    return { events: scanned.filter(selects), scannedTo: scanned.at(-1)?.position ?? afterKey, exhausted: rest.length <= scanned.length };
  };
  return {
    history,
    /** The `limit` of each read so far. */
    limits,
    /** The `maxBytes` of each read so far. */
    byteLimits,
    append(count: number, fields: Partial<RecordedEvent> = {}): RecordedEvent[] {
      return Array.from({ length: count }, () => {
        const event = recordedEvent(events.length + 1, fields);
        events.push(event);
        return event;
      });
    },
    onNextRead(hook: () => void) {
      duringRead = hook;
    },
  };
}

function subscribe(
  log: ReturnType<typeof fakeLog>,
  options: { startAfter?: number; capacity?: number; capacityBytes?: number; selection?: Selection } = {},
) {
  const onClose = vi.fn();
  const onError = vi.fn();
  const erasures = new RecentErasures();
  const subscriber = new Subscriber({
    selection: options.selection ?? { kind: 'all' },
    startAfter: options.startAfter ?? 0,
    history: log.history,
    capacity: options.capacity ?? 10,
    capacityBytes: options.capacityBytes ?? 2 ** 20,
    erasures,
    onClose,
    onError,
  });
  /** What the tailer does with each new event. */
  const publish = (events: RecordedEvent[]) => events.forEach((event) => subscriber.offer(event));
  /** What the hub does with an erasure it hears of. */
  const erase = (erasure: Erasure) => {
    erasures.add(erasure);
    subscriber.forget(erasure);
  };
  return { subscriber, inbox: new Inbox(subscriber), publish, erase, onClose, onError };
}

describe('Subscriber', () => {
  it('replays what was committed after its start, then goes on with live events', async () => {
    const log = fakeLog();
    log.append(5);
    const { inbox, publish } = subscribe(log, { startAfter: 2 });
    expect(positionsOf(await inbox.take())).toEqual([3, 4, 5]);
    publish(log.append(2));
    expect(positionsOf(await inbox.take())).toEqual([6, 7]);
  });

  it('neither repeats nor skips an event the tailer offers while history is read, whether the read saw it or not', async () => {
    const log = fakeLog();
    log.append(3);
    const { inbox, publish } = subscribe(log);
    log.onNextRead(() => {
      const late = log.append(2);
      // The tailer is behind the read for event 3, and ahead of it for events 4 and 5.
      publish([recordedEvent(3), ...late]);
    });
    expect(positionsOf(await inbox.take())).toEqual([1, 2, 3, 4, 5]);
    publish(log.append(1));
    expect(positionsOf(await inbox.take())).toEqual([6]);
  });

  it('ignores live events at or before where it starts', async () => {
    const log = fakeLog();
    const { inbox, publish } = subscribe(log, { startAfter: 2 });
    await settled();
    publish([recordedEvent(1), recordedEvent(2), recordedEvent(3)]);
    expect(positionsOf(await inbox.take())).toEqual([3]);
  });

  it.each([
    ['events', { capacity: 4 }, {}],
    ['bytes', { capacity: 1_000, capacityBytes: 4_000 }, { data: { padding: 'x'.repeat(1_000) } }],
  ])('loses nothing when its consumer falls behind its bound in %s: what did not fit is read from the database, then it is live again', async (_bound, options: { capacity: number; capacityBytes?: number }, fields) => {
    const log = fakeLog();
    const { inbox, publish } = subscribe(log, options);
    await settled();
    publish(log.append(10, fields));
    expect(positionsOf(await inbox.take())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    publish(log.append(1));
    expect(positionsOf(await inbox.take())).toEqual([11]);
    // Memory stays bounded: it went back to the database, and no read asks for more than fits.
    expect(log.limits.length).toBeGreaterThan(1);
    expect(Math.max(...log.limits)).toBeLessThanOrEqual(options.capacity);
    expect(Math.max(...log.byteLimits)).toBeLessThanOrEqual(options.capacityBytes ?? 2 ** 20);
  });

  it('lets one event larger than its whole bound through, alone', async () => {
    const log = fakeLog();
    const { inbox, publish } = subscribe(log, { capacityBytes: 100 });
    await settled();
    publish(log.append(3, { data: { padding: 'x'.repeat(500) } }));
    expect(positionsOf(await inbox.take())).toEqual([1, 2, 3]);
  });

  it('reads history again before going live when more was offered during the catch-up than it could hold', async () => {
    const log = fakeLog();
    const { inbox, publish } = subscribe(log, { capacity: 4 });
    log.onNextRead(() => publish(log.append(10)));
    expect(positionsOf(await inbox.take())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    publish(log.append(1));
    expect(positionsOf(await inbox.take())).toEqual([11]);
  });

  it('reads on past history its selection does not want', async () => {
    const wanted = { wanted: true };
    const log = fakeLog((event) => event.data === wanted);
    log.append(10);
    log.append(1, { data: wanted });
    const { inbox } = subscribe(log, { selection: { kind: 'payload', payload: wanted }, capacity: 4 });
    expect(positionsOf(await inbox.take())).toEqual([11]);
  });

  it('passes on only the live events its payload selects', async () => {
    const { inbox, publish } = subscribe(fakeLog(), { selection: { kind: 'payload', payload: { kind: 'wanted' } } });
    await settled();
    publish([recordedEvent(1, { data: { kind: 'wanted' } }), recordedEvent(2, { data: { kind: 'other' } }), recordedEvent(3, { data: { kind: 'wanted', n: 1 } })]);
    expect(positionsOf(await inbox.take())).toEqual([1, 3]);
  });

  it('places a stream subscription by version, not by global position', async () => {
    const { inbox, publish } = subscribe(fakeLog(), { selection: { kind: 'stream', streamId: 's' }, startAfter: 1 });
    await settled();
    publish([recordedEvent(10, { version: 1 }), recordedEvent(11, { version: 2 })]);
    expect(positionsOf(await inbox.take())).toEqual([11]);
  });

  it('ends when its consumer returns: done, closed once, later events ignored', async () => {
    const log = fakeLog();
    const { subscriber, inbox, publish, onClose } = subscribe(log);
    await settled();
    await subscriber.return();
    publish(log.append(1));
    expect(await inbox.take()).toEqual([]);
    expect(inbox.done).toBe(true);
    subscriber.close();
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(onClose).toHaveBeenCalledWith(subscriber);
  });

  it('ends alone with the error when offering it an event fails', async () => {
    const failure = new RangeError('Maximum call stack size exceeded');
    const { subscriber, inbox, onError, onClose } = subscribe(fakeLog());
    await settled();
    subscriber.fail(failure);
    await expect(inbox.take()).rejects.toBe(failure);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('ends with the error of a history read that failed', async () => {
    const failure = new Error('connection lost');
    const { inbox, onError, onClose } = subscribe({ ...fakeLog(), history: () => Promise.reject(failure) });
    await expect(inbox.take()).rejects.toBe(failure);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(onClose).toHaveBeenCalledTimes(1);
  });
  describe('told of an erasure (a deletion, a retention limit)', () => {
    /** Streams a and b, taking turns: a's versions 1, 2, 3 at positions 1, 3, 5, b's at 2, 4, 6. */
    function twoStreams(log: ReturnType<typeof fakeLog>) {
      for (let version = 1; version <= 3; version++) {
        log.append(1, { streamId: 'a', version });
        log.append(1, { streamId: 'b', version });
      }
    }

    it('never hands on the erased events it holds, and keeps the rest and the stream\'s later versions', async () => {
      const log = fakeLog();
      twoStreams(log);
      const { erase, inbox, publish } = subscribe(log);
      await settled();
      erase({ streamId: 'a', beforeVersion: 3 });
      publish(log.append(1, { streamId: 'a', version: 4 }));
      expect(positionsOf(await inbox.take())).toEqual([2, 4, 5, 6, 7]);
    });

    it('leaves out what a history read under way when the erasure committed brings back', async () => {
      const log = fakeLog();
      twoStreams(log);
      const { erase, inbox } = subscribe(log);
      log.onNextRead(() => erase({ streamId: 'b', beforeVersion: 4 }));
      expect(positionsOf(await inbox.take())).toEqual([1, 3, 5]);
    });

    it('drops erased events offered live while it was catching up', async () => {
      const log = fakeLog();
      twoStreams(log);
      const { erase, inbox, publish } = subscribe(log);
      log.onNextRead(() => {
        const late = [log.append(1, { streamId: 'a', version: 4 })[0]!, log.append(1, { streamId: 'b', version: 4 })[0]!];
        publish(late);
        erase({ streamId: 'a', beforeVersion: 5 });
      });
      expect(positionsOf(await inbox.take())).toEqual([2, 4, 6, 8]);
    });
  });
});

describe('subscribers sharing a buffer pool', () => {
  it('read history only into what the pool has left, one event a page once it is spent, and more once others let go', async () => {
    const log = fakeLog();
    // Larger than a subscriber takes an event it has not met yet to be, so that the bytes bound each page.
    const eventBytes = jsonSizeOf(log.append(40, { data: { pad: 'x'.repeat(9_000) } })[0]!);
    const pool = new BufferPool(10 * eventBytes);
    const reader = () =>
      new Subscriber({
        selection: { kind: 'all' },
        startAfter: 0,
        history: log.history,
        capacity: 10,
        capacityBytes: 2 ** 20,
        pool,
        erasures: new RecentErasures(),
        onClose: () => undefined,
        onError: () => undefined,
      });

    const first = reader();
    await settled();
    expect(log.byteLimits).toEqual([10 * eventBytes]);
    expect(pool.free).toBe(0);

    // Until its queue is past half its capacity (6 events), one event a read.
    const second = reader();
    await settled();
    expect(log.byteLimits.slice(1)).toEqual([1, 1, 1, 1, 1, 1]);

    first.close();
    expect(pool.free).toBe(4 * eventBytes);
    const taken = [await second.next(), await second.next()].map((result) => result.value as RecordedEvent);
    expect(positionsOf(taken)).toEqual([1, 2]);
    await settled();
    expect(log.byteLimits.at(-1)).toBe(6 * eventBytes);

    second.close();
    expect(pool.free).toBe(10 * eventBytes);
  });
});
