import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterLoopTime, within } from '../../src/cluster/connection.js';

/** Another process that echoes each line it is sent: it answers while this one is busy. */
const echo = spawn(process.execPath, ['-e', "process.stdin.on('data', (line) => process.stdout.write(line))"], { stdio: ['pipe', 'pipe', 'inherit'] });

function ask(line: string): Promise<string> {
  echo.stdin.write(`${line}\n`);
  return once(echo.stdout, 'data').then(([chunk]) => String(chunk).trim());
}

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

afterAll(() => {
  echo.kill();
});

describe('within', () => {
  it('takes an answer that arrived while the event loop was busy past the deadline', async () => {
    expect(await ask('ready')).toBe('ready');
    const answer = within(ask('ping'), 50, 'echo');
    busyFor(300);
    await expect(answer).resolves.toBe('ping');
  });

  it('still times out when no answer comes', async () => {
    await expect(within(new Promise<never>(() => undefined), 50, 'silence')).rejects.toThrow('silence timed out after 50 ms');
  });
});

describe('afterLoopTime', () => {
  it('does not count a stretch the event loop spent busy elsewhere, and expires once the loop had the time', async () => {
    let expired = false;
    afterLoopTime(300, () => (expired = true));
    busyFor(500);
    await sleep(50);
    expect(expired).toBe(false);
    await sleep(400);
    expect(expired).toBe(true);
  });

  it('expires on time when the loop is free, and never once cancelled', async () => {
    let expired = 0;
    afterLoopTime(150, () => expired++);
    const cancel = afterLoopTime(150, () => expired++);
    cancel();
    await sleep(300);
    expect(expired).toBe(1);
  });
});
