import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('GATER_LOG_LEVEL', () => {
  it('is info when unset or blank', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ GATER_LOG_LEVEL: '  ' }).logLevel).toBe('info');
  });

  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])('takes %s', (level) => {
    expect(loadConfig({ GATER_LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it('takes a level in any case, with spaces around it', () => {
    expect(loadConfig({ GATER_LOG_LEVEL: ' DEBUG ' }).logLevel).toBe('debug');
  });

  it.each(['verbose', 'warning', '20', 'info,debug'])('refuses %s with one line naming the variable and the levels', (value) => {
    let thrown: unknown;
    try {
      loadConfig({ GATER_LOG_LEVEL: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const { message } = thrown as ConfigError;
    expect(message).toBe(`GATER_LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "${value}"`);
    expect(message).not.toContain('\n');
  });
});
