import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cluster/embedded/postmaster.js';
import { supervise } from '../../src/cluster/embedded/supervisor.js';

/** A server that crashes when told to, and counts how it was stopped. */
function fakeServer(name: string) {
  let crash!: (why: string) => void;
  const server = {
    name,
    stops: 0,
    kills: 0,
    port: 5432,
    crashed: new Promise<string>((resolve) => (crash = resolve)),
    crash: (why = 'signal SIGKILL') => crash(why),
    stop: async () => void server.stops++,
    kill: async () => void server.kills++,
  };
  return server satisfies RunningServer;
}

const until = async (condition: () => boolean) => {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 500) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

describe('supervise', () => {
  it('starts a crashed server again, pausing longer after each restart that fails, and stops the one running at the end', async () => {
    const first = fakeServer('first');
    const second = fakeServer('second');
    const attempts: number[] = [];
    const lines: string[] = [];
    const supervised = supervise(first, {
      restart: async () => {
        attempts.push(performance.now());
        if (attempts.length < 3) throw new Error('shared memory still in use');
        return second;
      },
      log: (line) => lines.push(line),
      initialBackoffMs: 10,
      maxBackoffMs: 1_000,
    });
    first.crash();
    await until(() => lines.some((line) => line.includes('started again')));
    expect(attempts).toHaveLength(3);
    // 10 ms, then 20, then 40: each pause twice the one before.
    expect(lines.filter((line) => line.includes('failed')).map((line) => /trying again in (\d+) ms/.exec(line)?.[1])).toEqual(['20', '40']);

    await supervised.stop();
    expect([first.stops, second.stops]).toEqual([0, 1]);
  });

  it('gives up a pending restart when stopped, and never restarts a server it was asked to stop', async () => {
    const first = fakeServer('first');
    let restarts = 0;
    const supervised = supervise(first, {
      restart: async () => {
        restarts++;
        return fakeServer('never');
      },
      log: () => undefined,
      initialBackoffMs: 60_000,
    });
    first.crash();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Were the kill to wait out the minute's pause, the test's own timeout would end it first.
    await supervised.kill();
    expect(restarts).toBe(0);
    expect(first.kills).toBe(1);
  });
});
