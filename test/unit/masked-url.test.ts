import { describe, expect, it } from 'vitest';
import { maskUrl } from '../../src/masked-url.js';

describe('maskUrl', () => {
  it('replaces the password of a URL with ***, keeping the rest', () => {
    expect(maskUrl('postgres://user:s3cret@db-host:5432/events')).toBe('postgres://user:***@db-host:5432/events');
    expect(maskUrl('postgresql://gater:p%40ss%2Fword@[::1]:5432/db')).toBe('postgresql://gater:***@[::1]:5432/db');
    expect(maskUrl('postgres://:s3cret@db-host/events')).toBe('postgres://:***@db-host/events');
  });

  it('masks password parameters of the query too', () => {
    expect(maskUrl('postgres://user@db-host/events?sslmode=require&password=s3cret')).toBe(
      'postgres://user@db-host/events?sslmode=require&password=***',
    );
    expect(maskUrl('postgres://db-host/events?sslpassword=s3cret')).toBe('postgres://db-host/events?sslpassword=***');
  });

  it('leaves a URL without a password as it was given', () => {
    for (const url of ['postgres://user@db-host:5432/events', 'postgres://DB-Host/events?sslmode=require', 'mysql://host/db']) {
      expect(maskUrl(url)).toBe(url);
    }
  });

  it('never echoes the password of a string that is not a URL', () => {
    const cases: [string, string][] = [
      ['postgres://user:s3cret@db-host:70000/events', 'postgres://user:***@db-host:70000/events'],
      ['postgres://user:pa@ss@db host/events', 'postgres://user:***@db host/events'],
      ['user:s3cret@db-host:5432/events', 'user:***@db-host:5432/events'],
      ['postgres:/user:s3cret@db-host/events', 'postgres:***@db-host/events'],
      ['host=db-host password=s3cret user=gater', 'host=db-host password=*** user=gater'],
    ];
    for (const [raw, shown] of cases) {
      expect(maskUrl(raw)).toBe(shown);
      expect(maskUrl(raw)).not.toContain('s3cret');
    }
  });

  it('shows a string with nothing secret in it unchanged', () => {
    expect(maskUrl('not a url')).toBe('not a url');
    expect(maskUrl('localhost:5432')).toBe('localhost:5432');
  });
});
