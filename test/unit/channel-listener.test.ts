import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelListener, type ListenSession } from '../../src/subscriptions/channel-listener.js';

/** A session that reports a lost connection the ways pg can: an 'error' event, a failed query, or both. */
class FakeSession extends EventEmitter implements ListenSession {
  ended = false;
  readonly listened: string[] = [];

  constructor(private readonly listenFails?: 'error-then-reject' | 'reject-then-error') {
    super();
  }

  async query(text: string): Promise<unknown> {
    const lost = new Error('Connection terminated unexpectedly');
    if (this.listenFails === 'error-then-reject') {
      this.emit('error', lost);
      throw lost;
    }
    if (this.listenFails === 'reject-then-error') {
      queueMicrotask(() => this.emit('error', lost));
      throw lost;
    }
    this.listened.push(text);
    return {};
  }

  async end(): Promise<void> {
    this.ended = true;
  }
}

/** The delay the listener waits before it connects again. */
const RECONNECT_DELAY_MS = 1_000;

let sessions: FakeSession[];
let nextSessions: Array<FakeSession | Error>;
let listenings: number;
let logs: string[];
let listener: ChannelListener | undefined;

function startListener(): ChannelListener {
  listener = new ChannelListener({
    connect: async () => {
      const next = nextSessions.shift() ?? new FakeSession();
      if (next instanceof Error) throw next;
      sessions.push(next);
      return next;
    },
    channels: ['"events"', '"persistent"'],
    onNotification: () => undefined,
    onListening: () => listenings++,
    name: 'test listener',
    log: (line) => logs.push(line),
  });
  listener.start();
  return listener;
}

beforeEach(() => {
  vi.useFakeTimers();
  sessions = [];
  nextSessions = [];
  listenings = 0;
  logs = [];
});

afterEach(async () => {
  await listener?.stop();
  listener = undefined;
  vi.useRealTimers();
});

describe('ChannelListener', () => {
  it('LISTENs on every channel, then says it is listening', async () => {
    startListener();
    await vi.advanceTimersByTimeAsync(0);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.listened).toEqual(['LISTEN "events"', 'LISTEN "persistent"']);
    expect(listenings).toBe(1);
  });

  it.each(['error-then-reject', 'reject-then-error'] as const)(
    'opens one new session for a session lost during its LISTEN (%s)',
    async (order) => {
      nextSessions.push(new FakeSession(order));
      startListener();
      await vi.advanceTimersByTimeAsync(0);
      expect(sessions).toHaveLength(1);
      expect(sessions[0]!.ended).toBe(true);

      await vi.advanceTimersByTimeAsync(RECONNECT_DELAY_MS * 5);
      expect(sessions).toHaveLength(2);
      expect(sessions[1]!.listened).toHaveLength(2);
      expect(listenings).toBe(1);
    },
  );

  it('opens one new session for a session lost after it listened, however often the loss is reported, and says it is listening again', async () => {
    startListener();
    await vi.advanceTimersByTimeAsync(0);
    const lost = new Error('terminating connection due to administrator command');
    sessions[0]!.emit('error', lost);
    sessions[0]!.emit('error', lost);
    expect(sessions[0]!.ended).toBe(true);

    await vi.advanceTimersByTimeAsync(RECONNECT_DELAY_MS * 5);
    expect(sessions).toHaveLength(2);
    expect(listenings).toBe(2);
    expect(logs.filter((line) => line.includes('LISTEN connection lost'))).toHaveLength(1);
  });

  it('keeps trying while it cannot connect, and tells of the same refusal once', async () => {
    const refused = new Error('connect ECONNREFUSED');
    nextSessions.push(refused, refused, refused);
    startListener();
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAY_MS * 2);
    expect(sessions).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(RECONNECT_DELAY_MS);
    expect(sessions).toHaveLength(1);
    expect(listenings).toBe(1);
    expect(logs).toEqual(['test listener: cannot LISTEN (connect ECONNREFUSED); polling until it can']);
  });

  it('once stopped, neither reconnects after a loss nor keeps a session that arrives late', async () => {
    startListener();
    await vi.advanceTimersByTimeAsync(0);
    await listener!.stop();
    expect(sessions[0]!.ended).toBe(true);
    sessions[0]!.emit('error', new Error('gone'));
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAY_MS * 5);
    expect(sessions).toHaveLength(1);

    let handOver: (session: FakeSession) => void = () => undefined;
    const late = new FakeSession();
    const slow = new ChannelListener({
      connect: () => new Promise<FakeSession>((resolve) => (handOver = resolve)),
      channels: ['"events"'],
      onNotification: () => undefined,
      onListening: () => listenings++,
      name: 'slow listener',
      log: () => undefined,
    });
    slow.start();
    await slow.stop();
    handOver(late);
    await vi.advanceTimersByTimeAsync(0);
    expect(late.ended).toBe(true);
    expect(late.listened).toEqual([]);
    expect(listenings).toBe(1);
  });
});
