import { expect, it } from 'vitest';
import { APPEND } from '../support/queries.js';
import { newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs } from '../support/ws-client.js';

const gw = useGateway({ stores: ['default', 'other'] });

/** What a normalising client cache needs: every stream, event and snapshot says which store it is in. */
it('streams, events and snapshots name their store, wherever they are read', async () => {
  for (const store of ['default', 'other']) {
    await gw.gql(APPEND, { input: { store, streamId: 'same-id', events: newEvents(1) } });
    await gw.gql('mutation ($store: ID) { recordSnapshot(input: { store: $store, sourceUuid: "s", streamUuid: "same-id", version: 0, data: {} }) { version } }', { store });
  }
  const read = await gw.gql<Record<string, unknown>>(`
    query ($store: ID) {
      stream(store: $store, id: "same-id") { store events { edges { node { store streamId } } } }
      events(store: $store) { edges { node { store } } }
      snapshot(store: $store, sourceUuid: "s", streamUuid: "same-id") { store }
      snapshots(store: $store) { edges { node { store } } }
    }`, { store: 'other' });
  expect(read).toEqual({
    data: {
      stream: { store: 'other', events: { edges: [{ node: { store: 'other', streamId: 'same-id' } }] } },
      events: { edges: [{ node: { store: 'other' } }] },
      snapshot: { store: 'other' },
      snapshots: { edges: [{ node: { store: 'other' } }] },
    },
  });
  const appended = await gw.gql<{ appendEvents: { events: { store: string }[] } }>(
    'mutation ($input: AppendEventsInput!) { appendEvents(input: $input) { ... on AppendEventsSuccess { events { store } } } }',
    { input: { store: 'other', streamId: 'same-id', events: newEvents(1) } },
  );
  expect(appended.data?.appendEvents.events).toEqual([{ store: 'other' }]);

  const ws = await connectWs(gw);
  try {
    const live = await ws.subscribeActive<{ byStream: { store: string } }>('subscription { byStream(store: "other", streamId: "same-id", fromVersion: 0) { store } }');
    expect(await live.waitForEvents(2)).toEqual([{ byStream: { store: 'other' } }, { byStream: { store: 'other' } }].map((event) => event.byStream));
  } finally {
    await ws.dispose();
  }
});
