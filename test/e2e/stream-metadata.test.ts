import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeysFile } from '../support/api-keys-file.js';
import { callerClient, refusals, ROLE_KEYS, type CallerClient } from '../support/callers.js';
import { SET_STREAM_METADATA, STREAM_METADATA, type StreamMetadataView } from '../support/stream-metadata.js';
import { appendSuccess, dataOf, newEvents, readStream, storeView } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const SCOPED_ADMIN = 'scoped-admin-key-0123456789abcdef';
const SCOPED_READER = 'scoped-reader-key-0123456789abcde';

function keysFile(): string {
  return apiKeysFile([
    ...Object.entries(ROLE_KEYS).map(([role, key]) => ({ name: role, key, role })),
    { name: 'tenant-admin', key: SCOPED_ADMIN, role: 'admin', streams: ['t-'] },
    { name: 'tenant-reader', key: SCOPED_READER, role: 'reader', streams: ['t-'] },
  ]);
}

const gw = useGateway(() => ({ env: { GATER_API_KEYS_FILE: keysFile(), GATER_RETENTION_INTERVAL_MS: '86400000' } }));
let admin: CallerClient;
beforeAll(() => {
  admin = callerClient(gw, ROLE_KEYS.admin);
});

type StreamData = { stream: { id: string; version: number; exists: boolean; metadata: StreamMetadataView | null } };

async function set(client: CallerClient, input: Record<string, unknown>) {
  return client.gql<{ setStreamMetadata: StreamMetadataView }>(SET_STREAM_METADATA, { input });
}

async function metadataOf(client: CallerClient, id: string) {
  return client.gql<StreamData>(STREAM_METADATA, { id });
}

describe('setStreamMetadata and Stream.metadata', () => {
  it('answers null for a stream whose metadata was never set', async () => {
    await appendSuccess(admin, { streamId: 'plain', events: newEvents(1) });
    expect(dataOf(await metadataOf(admin, 'plain')).stream.metadata).toBeNull();
  });

  it('stores the metadata and answers it, from the mutation and from the stream', async () => {
    const custom = { owner: 'billing', tags: ['a', 'b'], nested: { level: 2 } };
    const answer = dataOf(await set(admin, { streamId: 'm-1', maxCount: 10, maxAgeSeconds: 3600, truncateBefore: 2, custom })).setStreamMetadata;
    expect(answer).toEqual({ maxCount: 10, maxAgeSeconds: 3600, truncateBefore: 2, custom });
    expect(dataOf(await metadataOf(admin, 'm-1')).stream.metadata).toEqual(answer);
  });

  it('replaces the whole metadata: a field left out is cleared', async () => {
    await set(admin, { streamId: 'm-2', maxCount: 5, custom: { keep: false } });
    const answer = dataOf(await set(admin, { streamId: 'm-2', truncateBefore: 3 })).setStreamMetadata;
    expect(answer).toEqual({ maxCount: null, maxAgeSeconds: null, truncateBefore: 3, custom: null });
    expect(dataOf(await metadataOf(admin, 'm-2')).stream.metadata).toEqual(answer);
  });

  it('may be set before the stream exists; its limits apply to the events written later', async () => {
    await set(admin, { streamId: 'future', maxCount: 2 });
    const before = dataOf(await metadataOf(admin, 'future')).stream;
    expect(before).toMatchObject({ exists: false, version: -1, metadata: { maxCount: 2 } });
    const written = await appendSuccess(admin, { streamId: 'future', events: newEvents(5) });
    expect((await readStream(admin, 'future')).map((event) => event.id)).toEqual(written.events.slice(3).map((event) => event.id));
    expect(dataOf(await metadataOf(admin, 'future')).stream).toMatchObject({ exists: true, version: 4 });
  });
});

describe('bad input', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['maxCount 0', { maxCount: 0 }, 'input.maxCount'],
    ['a negative maxCount', { maxCount: -3 }, 'input.maxCount'],
    ['maxAgeSeconds 0', { maxAgeSeconds: 0 }, 'input.maxAgeSeconds'],
    ['a negative truncateBefore', { truncateBefore: -1 }, 'input.truncateBefore'],
    ['custom JSON over 64 KiB', { custom: { text: 'x'.repeat(70_000) } }, 'input.custom'],
  ];
  it.each(cases)('refuses %s with BAD_USER_INPUT naming the field, and keeps what was stored', async (_what, fields, field) => {
    await set(admin, { streamId: 'guarded', maxCount: 7, custom: { stays: true } });
    const response = await set(admin, { streamId: 'guarded', ...fields });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors?.[0]?.message).toContain(field);
    expect(dataOf(await metadataOf(admin, 'guarded')).stream.metadata).toEqual({ maxCount: 7, maxAgeSeconds: null, truncateBefore: null, custom: { stays: true } });
  });

  it('refuses custom JSON nested deeper than GATER_MAX_JSON_DEPTH as LIMIT_EXCEEDED naming the field, and keeps what was stored', async () => {
    await set(admin, { streamId: 'guarded', maxCount: 7, custom: { stays: true } });
    const response = await set(admin, { streamId: 'guarded', custom: JSON.parse('['.repeat(100) + ']'.repeat(100)) });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_JSON_DEPTH', field: 'input.custom' });
    expect(dataOf(await metadataOf(admin, 'guarded')).stream.metadata).toEqual({ maxCount: 7, maxAgeSeconds: null, truncateBefore: null, custom: { stays: true } });
  });

  it('refuses a reserved or empty stream id naming input.streamId', async () => {
    for (const streamId of ['$all', '']) {
      const response = await set(admin, { streamId, maxCount: 1 });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.streamId' });
    }
  });
});

describe('access', () => {
  it('needs the admin role to set metadata; reader and writer are refused and nothing is stored', async () => {
    for (const role of ['reader', 'writer', 'consumer'] as const) {
      const response = await set(callerClient(gw, ROLE_KEYS[role]), { streamId: 'locked', maxCount: 1 });
      expect(refusals(response.errors)).toEqual([['FORBIDDEN', 'admin']]);
    }
    expect(dataOf(await metadataOf(admin, 'locked')).stream.metadata).toBeNull();
    expect(refusals((await set(callerClient(gw, undefined), { streamId: 'locked', maxCount: 1 })).errors)[0]?.[0]).toBe('UNAUTHENTICATED');
  });

  it('lets a scoped admin set metadata only inside its prefixes', async () => {
    const scoped = callerClient(gw, SCOPED_ADMIN);
    expect(dataOf(await set(scoped, { streamId: 't-1', maxCount: 3 })).setStreamMetadata.maxCount).toBe(3);
    const outside = await set(scoped, { streamId: 'other-1', maxCount: 3 });
    expect(refusals(outside.errors)).toEqual([['FORBIDDEN', 'stream other-1']]);
    expect(dataOf(await metadataOf(admin, 'other-1')).stream.metadata).toBeNull();
  });

  it('shows Stream.metadata to any reader of the stream, and to a scoped reader only inside its prefixes', async () => {
    await set(admin, { streamId: 't-read', custom: { visible: 'inside' } });
    await set(admin, { streamId: 'x-read', custom: { visible: 'outside' } });
    const reader = callerClient(gw, ROLE_KEYS.reader);
    expect(dataOf(await metadataOf(reader, 'x-read')).stream.metadata?.custom).toEqual({ visible: 'outside' });
    const scoped = callerClient(gw, SCOPED_READER);
    expect(dataOf(await metadataOf(scoped, 't-read')).stream.metadata?.custom).toEqual({ visible: 'inside' });
    expect(dataOf(await metadataOf(scoped, 'x-read')).stream.metadata).toBeNull();
  });

  it('counts for a scoped caller the events of its streams that are stored, once erased', async () => {
    await appendSuccess(admin, { streamId: 't-stats', events: newEvents(5) });
    const scoped = callerClient(gw, SCOPED_READER);
    expect(await storeView(scoped)).toMatchObject({ streamCount: 1, eventCount: 5 });
    await set(admin, { streamId: 't-stats', maxCount: 2 });
    const retention = gw.gateway.stores.find(undefined)!.retention;
    while (await retention.pass({ maxEvents: 1000, maxStreams: 1000 }));
    expect(await storeView(scoped)).toMatchObject({ streamCount: 1, eventCount: 2 });
  });
});
