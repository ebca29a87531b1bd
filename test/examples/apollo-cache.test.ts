import { randomUUID } from 'node:crypto';
import { gql, type NormalizedCacheObject } from '@apollo/client';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { appendExpecting } from '../../examples/node-service/append.js';
import { createGaterClient, type GaterClient } from '../../examples/node-service/client.js';
import { readStream, STREAM_PAGE } from '../../examples/node-service/read-stream.js';
import { streamVersions } from '../../examples/node-service/stream-versions.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
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

  it('keeps an event id used in two stores apart, and reads snapshots and persistent subscriptions again with other fields, warning of nothing', async () => {
    // Event ids are unique only within a store: a copy of an event into another store may keep its id.
    const id = randomUUID();
    await appendSuccess(gw, { streamId: 'copied-1', events: [...newEvents(2), { id, type: 'Original', data: {} }] });
    await appendSuccess(gw, { store: 'other', streamId: 'copied-1', events: [{ id, type: 'Copy', data: {} }] });
    const [original] = (await readStream(client.apollo, 'copied-1')).slice(-1);
    const [copy] = await readStream(client.apollo, 'copied-1', { store: 'other' });
    expect([original, copy]).toMatchObject([
      { store: 'default', id, version: 2, type: 'Original' },
      { store: 'other', id, version: 0, type: 'Copy' },
    ]);
    const cached = client.apollo.readQuery({ query: STREAM_PAGE, variables: { id: 'copied-1', first: 100 } });
    expect(cached?.stream.events.edges.map(({ node }) => [node.store, node.type])).toEqual([
      ['default', 'Happened'],
      ['default', 'Happened'],
      ['default', 'Original'],
    ]);

    // A snapshot has no id of its own: its store, source, stream and version name it.
    await gw.gql('mutation { recordSnapshot(input: { sourceUuid: "cart", streamUuid: "copied-1", version: 2, data: { items: 3 } }) { version } }');
    const snapshot = gql`
      query Snapshot($withData: Boolean!) {
        snapshot(sourceUuid: "cart", streamUuid: "copied-1") { store sourceUuid streamUuid version data @include(if: $withData) }
      }
    `;
    for (const withData of [true, false]) await client.apollo.query({ query: snapshot, variables: { withData }, fetchPolicy: 'network-only' });

    // A persistent subscription is named by its store and name; the list shrinks when one is removed.
    const subscriptions = gql`
      query Subscriptions {
        persistentSubscriptions { store name checkpoint }
      }
    `;
    for (const name of ['first', 'second']) await gw.gql(`mutation { saveSubscription(input: { name: "${name}", type: BY_STREAM, selector: "$all" }) { name } }`);
    await client.apollo.query({ query: subscriptions, fetchPolicy: 'network-only' });
    await gw.gql('mutation { removeSubscription(name: "second") }');
    const { data } = await client.apollo.query({ query: subscriptions, fetchPolicy: 'network-only' });
    expect(data).toMatchObject({ persistentSubscriptions: [{ store: 'default', name: 'first' }] });

    for (const spy of warned) expect(spy.mock.calls).toEqual([]);
  });
});
