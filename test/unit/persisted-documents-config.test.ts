import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function manifestFile(content: string): string {
  const name = path.join(mkdtempSync(path.join(os.tmpdir(), 'gater-trusted-')), 'persisted-documents.json');
  writeFileSync(name, content);
  return name;
}

const persisted = (env: Record<string, string>) => loadConfig(env).persistedDocuments;

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const STORES = 'query Stores { stores { id } }';

describe('APQ settings', () => {
  it('are on by default, with 1,000 documents and 16 MiB at most', () => {
    expect(persisted({}).apq).toEqual({ maxDocuments: 1000, maxBytes: 16 * 1024 * 1024 });
  });

  it('GATER_APQ=false turns APQ off', () => {
    expect(persisted({ GATER_APQ: 'false' }).apq).toBeNull();
    expect(persisted({ GATER_APQ: 'true' }).apq).not.toBeNull();
  });

  it('GATER_APQ_MAX_DOCUMENTS and GATER_APQ_MAX_BYTES', () => {
    expect(persisted({ GATER_APQ_MAX_DOCUMENTS: '50', GATER_APQ_MAX_BYTES: '65536' }).apq).toEqual({ maxDocuments: 50, maxBytes: 65536 });
  });

  it('refuses values that are not what they should be, naming the variable', () => {
    expect(configError({ GATER_APQ: 'maybe' })).toMatch(/^GATER_APQ: expected true or false/);
    expect(configError({ GATER_APQ_MAX_DOCUMENTS: '0' })).toMatch(/^GATER_APQ_MAX_DOCUMENTS: must be between 1 and/);
    expect(configError({ GATER_APQ_MAX_BYTES: 'lots' })).toMatch(/^GATER_APQ_MAX_BYTES: expected an integer/);
  });
});

describe('trusted documents', () => {
  it('are off by default', () => {
    expect(persisted({}).trusted).toBeNull();
  });

  it('GATER_TRUSTED_DOCUMENTS_FILE reads a manifest as graphql-codegen writes it, and turns APQ off', () => {
    const file = manifestFile(JSON.stringify({ abc123: STORES }));
    expect(persisted({ GATER_TRUSTED_DOCUMENTS_FILE: file })).toEqual({ apq: null, trusted: { documents: new Map([['abc123', STORES]]), for: 'everyone', adminBypass: false } });
  });

  it('GATER_TRUSTED_DOCUMENTS_ADMIN_BYPASS lets admins send any document', () => {
    const file = manifestFile(JSON.stringify({ abc123: STORES }));
    expect(persisted({ GATER_TRUSTED_DOCUMENTS_FILE: file, GATER_TRUSTED_DOCUMENTS_ADMIN_BYPASS: 'true' }).trusted?.adminBypass).toBe(true);
  });

  it('GATER_TRUSTED_DOCUMENTS_FOR=marked holds only the credentials marked trustedDocumentsOnly, and keeps APQ for the others', () => {
    const file = manifestFile(JSON.stringify({ abc123: STORES }));
    expect(persisted({ GATER_TRUSTED_DOCUMENTS_FILE: file, GATER_TRUSTED_DOCUMENTS_FOR: 'marked' })).toMatchObject({ apq: { maxDocuments: 1000 }, trusted: { for: 'marked' } });
    expect(persisted({ GATER_TRUSTED_DOCUMENTS_FILE: file, GATER_TRUSTED_DOCUMENTS_FOR: 'everyone' })).toMatchObject({ apq: null, trusted: { for: 'everyone' } });
    expect(configError({ GATER_TRUSTED_DOCUMENTS_FILE: file, GATER_TRUSTED_DOCUMENTS_FOR: 'some' })).toMatch(/^GATER_TRUSTED_DOCUMENTS_FOR: expected everyone or marked, got "some"/);
    expect(configError({ GATER_TRUSTED_DOCUMENTS_FOR: 'marked' })).toMatch(/^GATER_TRUSTED_DOCUMENTS_FOR: needs the manifest of trusted documents in GATER_TRUSTED_DOCUMENTS_FILE/);
  });

  it('marks an API key of GATER_API_KEYS_FILE trustedDocumentsOnly, which needs a manifest', () => {
    const keys = manifestFile(
      JSON.stringify({ apiKeys: [{ name: 'front-end', key: 'front-end-key-0123456789', role: 'reader', trustedDocumentsOnly: true }, { name: 'service', key: 'service-key-0123456789', role: 'writer' }] }),
    );
    const file = manifestFile(JSON.stringify({ abc123: STORES }));
    const { apiKeys } = loadConfig({ GATER_API_KEYS_FILE: keys, GATER_TRUSTED_DOCUMENTS_FILE: file, GATER_TRUSTED_DOCUMENTS_FOR: 'marked' }).access;
    expect(apiKeys.map((grant) => [grant.name, grant.trustedDocumentsOnly ?? false])).toEqual([
      ['front-end', true],
      ['service', false],
    ]);
    expect(configError({ GATER_API_KEYS_FILE: keys })).toMatch(/^GATER_API_KEYS_FILE: front-end may run only trusted documents: give their manifest in GATER_TRUSTED_DOCUMENTS_FILE/);
    const wrong = manifestFile(JSON.stringify({ apiKeys: [{ name: 'front-end', key: 'front-end-key-0123456789', role: 'reader', trustedDocumentsOnly: 'yes' }] }));
    expect(configError({ GATER_API_KEYS_FILE: wrong })).toMatch(/front-end: trustedDocumentsOnly must be true or false/);
  });

  it('refuses a manifest it cannot use, in one line naming the variable', () => {
    const variable = 'GATER_TRUSTED_DOCUMENTS_FILE';
    expect(configError({ [variable]: '/nowhere/persisted-documents.json' })).toMatch(/^GATER_TRUSTED_DOCUMENTS_FILE: cannot read \/nowhere\/persisted-documents.json as JSON/);
    expect(configError({ [variable]: manifestFile('["query { stores { id } }"]') })).toMatch(/must be an object mapping document ids to documents/);
    expect(configError({ [variable]: manifestFile('{ "abc": 1 }') })).toMatch(/the document of "abc" is not a GraphQL document/);
    expect(configError({ [variable]: manifestFile('{ "abc": "query {" }') })).toMatch(/the document of "abc" does not parse \(Syntax Error/);
  });
});
