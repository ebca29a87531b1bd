import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anonymousAdminNotice, loadAccessConfig } from '../../src/access-config.js';
import { ConfigError } from '../../src/config.js';

const KEY = 'a-key-of-sixteen-chars-or-more';

function file(content: string): string {
  const name = path.join(mkdtempSync(path.join(os.tmpdir(), 'gater-access-')), 'keys.json');
  writeFileSync(name, content);
  return name;
}

function refusal(env: Record<string, string>, host = '127.0.0.1'): string {
  try {
    loadAccessConfig(env, host);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('who may use the gateway', () => {
  it('with nothing configured on a loopback address: anonymous admin, GraphiQL and introspection for all', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) {
      expect(loadAccessConfig({}, host)).toEqual({ apiKeys: [], jwt: undefined, anonymousRole: 'admin', graphiql: true, introspection: 'everyone' });
    }
  });

  it('with nothing configured on an address other machines reach: refuses to start, in one line', () => {
    expect(refusal({}, '0.0.0.0')).toBe(
      'HOST: 0.0.0.0 is reachable from other machines and no credential is configured: set GATER_API_KEYS, GATER_API_KEYS_FILE or a JWT setting, or GATER_ANONYMOUS_ROLE to serve requests without one',
    );
    expect(loadAccessConfig({ GATER_ANONYMOUS_ROLE: 'reader' }, '0.0.0.0').anonymousRole).toBe('reader');
  });

  it('once a credential is configured: no anonymous role, no GraphiQL, introspection for admins', () => {
    const config = loadAccessConfig({ GATER_API_KEYS: `${KEY}:writer` }, '0.0.0.0');
    expect(config).toMatchObject({ anonymousRole: null, graphiql: false, introspection: 'admin' });
    expect(config.apiKeys).toEqual([
      { name: 'GATER_API_KEYS[1]', sha256: createHash('sha256').update(KEY).digest(), role: 'writer', stores: null, streams: null },
    ]);
  });

  it('GATER_GRAPHIQL and GATER_INTROSPECTION override the defaults', () => {
    expect(loadAccessConfig({ GATER_API_KEYS: `${KEY}:admin`, GATER_GRAPHIQL: 'true', GATER_INTROSPECTION: 'true' }, '::1')).toMatchObject({
      graphiql: true,
      introspection: 'everyone',
    });
    expect(loadAccessConfig({ GATER_GRAPHIQL: 'off', GATER_INTROSPECTION: 'false' }, '127.0.0.1')).toMatchObject({ graphiql: false, introspection: 'nobody' });
  });

  it('reads a keys file: keys or their SHA-256, roles, stores and stream prefixes', () => {
    const digest = createHash('sha256').update('another-key-0123456789').digest('hex');
    const config = loadAccessConfig(
      {
        GATER_API_KEYS_FILE: file(
          JSON.stringify({
            apiKeys: [
              { name: 'orders-ui', key: KEY, role: 'reader', stores: ['default'], streams: ['order-'] },
              { name: 'ops', sha256: digest, role: 'admin' },
            ],
          }),
        ),
      },
      '127.0.0.1',
    );
    expect(config.apiKeys.map(({ name, role, stores, streams, sha256 }) => [name, role, stores, streams, sha256.toString('hex')])).toEqual([
      ['orders-ui', 'reader', ['default'], ['order-'], createHash('sha256').update(KEY).digest('hex')],
      ['ops', 'admin', null, null, digest],
    ]);
    expect(config.anonymousRole).toBeNull();
  });

  it.each([
    [{ GATER_API_KEYS: 'no-role-here' }, 'GATER_API_KEYS: entry 1 is not key:role'],
    [{ GATER_API_KEYS: 'short:admin' }, 'GATER_API_KEYS: entry 1: a key is at least 16 characters'],
    [{ GATER_API_KEYS: `${KEY}:root` }, 'GATER_API_KEYS: entry 1: role must be one of reader, writer, consumer, admin, got "root"'],
    [{ GATER_ANONYMOUS_ROLE: 'everyone' }, 'GATER_ANONYMOUS_ROLE: the anonymous role: role must be one of reader, writer, consumer, admin, got "everyone"'],
    [{ GATER_JWT_SECRET: 'too-short' }, 'GATER_JWT_SECRET: an HS256 secret is at least 32 characters'],
    [{ GATER_JWT_JWKS_URL: 'not a url' }, 'GATER_JWT_JWKS_URL: is not a URL'],
    [{ GATER_GRAPHIQL: 'maybe' }, 'GATER_GRAPHIQL: expected true or false, got "maybe"'],
    [{ GATER_API_KEYS_FILE: '/nonexistent/keys.json' }, /^GATER_API_KEYS_FILE: cannot read \/nonexistent\/keys.json as JSON/],
  ])('refuses %j in one line naming the variable', (env, message) => {
    expect(refusal(env as Record<string, string>)).toMatch(message);
  });

  it('never quotes a malformed keys file, which may hold a key', () => {
    const keys = file('{ "apiKeys": [ { "name": "svc", "key": s3cr3t-key-0123456789, "role": "reader" } ] }');
    const message = refusal({ GATER_API_KEYS_FILE: keys });
    expect(message).toMatch(/^GATER_API_KEYS_FILE: cannot read .* as JSON \(not valid JSON/);
    expect(message).not.toContain('s3cr3t');
  });

  it('never puts a key in a refusal', () => {
    const keys = file(JSON.stringify({ apiKeys: [{ name: 'svc', key: 'secret-key-0123456789', role: 'superuser' }] }));
    const message = refusal({ GATER_API_KEYS_FILE: keys });
    expect(message).toBe(`GATER_API_KEYS_FILE: ${keys}, svc: role must be one of reader, writer, consumer, admin, got "superuser"`);
    expect(message).not.toContain('secret-key');
  });
});

describe('the start-up line about requests without a credential', () => {
  const notice = (env: Record<string, string>, host: string) => anonymousAdminNotice(loadAccessConfig(env, host), host);

  it('says that every request is admin, and that only this machine can reach it, with nothing configured on a loopback address', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      expect(notice({}, host)).toBe('no credential is configured: every request is served as admin, which only this machine can reach (see "Securing it" in the README)');
    }
  });

  it('does not claim that only this machine can reach a gateway on another address', () => {
    expect(notice({ GATER_ANONYMOUS_ROLE: 'admin' }, '0.0.0.0')).toBe(
      'requests without a credential are served as admin (GATER_ANONYMOUS_ROLE=admin) to every machine that reaches 0.0.0.0',
    );
    expect(notice({ GATER_ANONYMOUS_ROLE: 'admin', GATER_API_KEYS: `${KEY}:reader` }, '127.0.0.1')).toBe(
      'requests without a credential are served as admin (GATER_ANONYMOUS_ROLE=admin), which only this machine can reach',
    );
  });

  it('is not given when requests without a credential are not admin', () => {
    expect(notice({ GATER_API_KEYS: `${KEY}:admin` }, '127.0.0.1')).toBeUndefined();
    expect(notice({ GATER_ANONYMOUS_ROLE: 'reader' }, '0.0.0.0')).toBeUndefined();
    expect(notice({ GATER_ANONYMOUS_ROLE: 'none' }, '127.0.0.1')).toBeUndefined();
  });
});
