import type { NormalizedCacheObject } from '@apollo/client';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { appendExpecting } from '../../examples/node-service/append.js';
import { createGaterClient, type GaterClient } from '../../examples/node-service/client.js';
import { readStream } from '../../examples/node-service/read-stream.js';
import { streamVersions } from '../../examples/node-service/stream-versions.js';
import { newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

describe("Apollo Client's InMemoryCache with the recommended typePolicies", () => {
  const gw = useGateway({ stores: ['default', 'other'] });
  let client: GaterClient;
  let warned: MockInstance[];

  beforeEach(() => {
    client = createGaterClient(gw.url);
    // Apollo's invariant warnings end up on the console.
    warned = (['warn', 'error'] as const).map((level) => vi.spyOn(console, level));
  });
  afterEach(async () => {
    await client.stop();
    vi.restoreAllMocks();
  });

  it('keeps the same stream id in two stores apart, each with its own version, and warns of nothing', async () => {
    await appendExpecting(client.apollo, 'cart-7', -1, newEvents(3));
    await appendExpecting(client.apollo, 'cart-7', -1, newEvents(1), 'other');

    const both = await streamVersions(client.apollo, 'cart-7', 'other');
    expect(both.mine).toMatchObject({ store: 'default', id: 'cart-7', version: 2 });
    expect(both.theirs).toMatchObject({ store: 'other', id: 'cart-7', version: 0 });

    // Paging each store's copy through the same cache changes neither's version.
    expect(await readStream(client.apollo, 'cart-7', { pageSize: 2 })).toHaveLength(3);
    expect(await readStream(client.apollo, 'cart-7', { store: 'other', pageSize: 2 })).toHaveLength(1);
    await appendExpecting(client.apollo, 'cart-7', 2, newEvents(1));
    // The same pages again, now different: each replaces the one in the cache, without a warning.
    expect(await readStream(client.apollo, 'cart-7', { pageSize: 2 })).toHaveLength(4);
    const again = await streamVersions(client.apollo, 'cart-7', 'other');
    expect([again.mine.version, again.theirs.version]).toEqual([3, 0]);

    const cache = client.apollo.cache.extract() as NormalizedCacheObject;
    expect(cache['Stream:{"store":"default","id":"cart-7"}']).toMatchObject({ version: 3 });
    expect(cache['Stream:{"store":"other","id":"cart-7"}']).toMatchObject({ version: 0 });
    expect(cache[client.apollo.cache.identify(again.cluster)!]).toMatchObject({ id: again.cluster.id });
    for (const spy of warned) expect(spy).not.toHaveBeenCalled();
  });
});
