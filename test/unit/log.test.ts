import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fullLogger, pinoLogger, type LogLevel } from '../../src/log.js';

/** A pino logger at `level` whose lines land in an array, parsed. */
function collected(level: LogLevel) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pinoLogger({ level, destination: destination as never }), lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the pino logger', () => {
  it('writes an error and its chain of causes on one line', () => {
    const { log, lines, parsed } = collected('info');
    const root = new Error('connect ECONNREFUSED 10.0.0.9:5432');
    log.error('start-up failed', new Error('cannot open the pool', { cause: new Error('the node is down', { cause: root }) }), { requestId: 'r-1' });
    expect(lines).toHaveLength(1);
    const [line] = parsed() as [{ level: string; msg: string; requestId: string; time: string; err: { message: string; stack: string } }];
    expect(line).toMatchObject({ level: 'error', msg: 'start-up failed', requestId: 'r-1' });
    expect(Date.parse(line.time)).not.toBeNaN();
    expect(line.err.message).toBe('cannot open the pool: the node is down: connect ECONNREFUSED 10.0.0.9:5432');
    expect(line.err.stack).toMatch(/caused by: Error: the node is down[\s\S]*caused by: Error: connect ECONNREFUSED/);
  });

  it('writes nothing below its level, and says so before a line is made', () => {
    const atInfo = collected('info');
    atInfo.log.debug('one operation', { durationMs: 1 });
    expect(atInfo.lines).toEqual([]);
    expect(atInfo.log.debugEnabled()).toBe(false);

    const atDebug = collected('debug');
    atDebug.log.child({ requestId: 'r-2', operation: 'Orders' }).debug('one operation', { durationMs: 1 });
    expect(atDebug.log.debugEnabled()).toBe(true);
    expect(atDebug.parsed()).toEqual([expect.objectContaining({ level: 'debug', msg: 'one operation', requestId: 'r-2', operation: 'Orders', durationMs: 1 })]);
  });

  it('never writes a password, a token or an authorization header, in fields or on an error', () => {
    const { log, lines } = collected('info');
    log.info('connecting', { password: 'hunter2-secret', connection: { authorization: 'Bearer key-secret-123' } });
    log.error('failed', Object.assign(new Error('boom'), { connectionString: 'postgres://u:pw-secret@h/db', token: 'tok-secret' }));
    const text = lines.join('\n');
    for (const secret of ['hunter2-secret', 'key-secret-123', 'pw-secret', 'tok-secret']) expect(text).not.toContain(secret);
  });
});

describe('a small logger a test passes', () => {
  it('gets warn as info, debug dropped, and child fields added to each line', () => {
    const seen: [string, unknown][] = [];
    const log = fullLogger({ info: (message, fields) => seen.push([message, fields]), error: (message) => seen.push([message, undefined]) });
    log.warn('refused');
    log.debug('operation');
    log.child({ requestId: 'r-3' }).child({ store: 'default' }).info('hello', { extra: 1 });
    expect(log.debugEnabled()).toBe(false);
    expect(seen).toEqual([
      ['refused', undefined],
      ['hello', { requestId: 'r-3', store: 'default', extra: 1 }],
    ]);
  });
});
