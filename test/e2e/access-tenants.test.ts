import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeysFile } from '../support/api-keys-file.js';
import { callerClient, refusals, type CallerClient } from '../support/callers.js';
import { APPEND, BY_EVENT_PATTERN, BY_EVENT_PAYLOAD, BY_EVENT_TYPE, BY_STREAM, type AppendData, type EventView } from '../support/queries.js';
import { newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs, type Collected, type WsConnection } from '../support/ws-client.js';

const KEYS = {
  a: 'tenant-a-key-0123456789abcdef',
  b: 'tenant-b-key-0123456789abcdef',
  admin: 'tenants-admin-key-0123456789',
  aConsumer: 'tenant-a-consumer-key-0123456789',
  aAdmin: 'tenant-a-admin-key-0123456789',
};

function keysFile(): string {
  return apiKeysFile([
    { name: 'tenant-a', key: KEYS.a, role: 'writer', streams: ['a-'] },
    { name: 'tenant-b', key: KEYS.b, role: 'writer', streams: ['b-', 'shared-b'] },
    { name: 'ops', key: KEYS.admin, role: 'admin' },
    { name: 'tenant-a-consumer', key: KEYS.aConsumer, role: 'consumer', streams: ['a-'] },
    { name: 'tenant-a-admin', key: KEYS.aAdmin, role: 'admin', streams: ['a-'] },
    { name: 'elsewhere', key: 'elsewhere-key-0123456789abc', role: 'reader', stores: ['other'] },
  ]);
}

const gw = useGateway(() => ({ stores: ['default', 'other'], env: { GATER_API_KEYS_FILE: keysFile() } }));
let a: CallerClient;
let b: CallerClient;
let admin: CallerClient;
beforeAll(() => {
  a = callerClient(gw, KEYS.a);
  b = callerClient(gw, KEYS.b);
  admin = callerClient(gw, KEYS.admin);
});

/** Every tenant writes events of the same type and payload, so only the stream tells them apart. */
async function appendAs(client: CallerClient, streamId: string, count: number): Promise<EventView[]> {
  const response = await client.gql<AppendData>(APPEND, { input: { streamId, events: newEvents(count, 'Shared', () => ({ shared: true })) } });
  const result = response.data?.appendEvents;
  if (result?.__typename !== 'AppendEventsSuccess') throw new Error(`append to ${streamId} failed: ${JSON.stringify(response)}`);
  return result.events as EventView[];
}

const streamsOf = (events: { streamId: string }[]) => [...new Set(events.map((event) => event.streamId))].sort();

describe('two tenants scoped to their own stream prefixes', () => {
  let bEvent: EventView;
  let aEvent: EventView;
  beforeAll(async () => {
    [aEvent] = (await appendAs(a, 'a-1', 2)) as [EventView];
    [bEvent] = await appendAs(b, 'b-1', 2) as [EventView];
    await appendAs(a, 'a-2', 1);
    await appendAs(b, 'shared-b', 1);
  });

  it('see only their own events in the $all log, filtered or not', async () => {
    const all = await a.gql<{ events: { edges: { node: EventView }[] } }>('{ events(first: 100) { edges { node { streamId } } } }');
    expect(streamsOf(all.data!.events.edges.map((edge) => edge.node))).toEqual(['a-1', 'a-2']);
    const backward = await b.gql<{ events: { edges: { node: EventView }[] } }>(
      '{ events(first: 100, direction: BACKWARD, filter: { eventTypes: ["Shared"], streamPrefix: "" }) { edges { node { streamId } } } }',
    );
    expect(streamsOf(backward.data!.events.edges.map((edge) => edge.node))).toEqual(['b-1', 'shared-b']);
  });

  it('list only their own streams, and count only them', async () => {
    const listed = await a.gql<{ streams: { edges: { node: { id: string } }[] }; stores: { id: string; streamCount: number; eventCount: number }[] }>(
      '{ streams { edges { node { id } } } stores { id streamCount eventCount } }',
    );
    expect(listed.data!.streams.edges.map((edge) => edge.node.id)).toEqual(['a-1', 'a-2']);
    expect(listed.data!.stores).toEqual([
      { id: 'default', streamCount: 2, eventCount: 3 },
      { id: 'other', streamCount: 0, eventCount: 0 },
    ]);
  });

  it("find another tenant's stream and events as if they did not exist", async () => {
    const response = await a.gql<{ stream: { exists: boolean; version: number; events: { edges: unknown[] } }; event: unknown; streamVersion: number }>(
      'query ($id: ID!) { stream(id: "b-1") { exists version events { edges { cursor } } } event(id: $id) { id } streamVersion(streamId: "b-1") }',
      { id: bEvent.id },
    );
    expect(response).toEqual({ data: { stream: { exists: false, version: -1, events: { edges: [] } }, event: null, streamVersion: -1 } });
    const own = await b.gql<{ event: { streamId: string } }>('query ($id: ID!) { event(id: $id) { streamId } }', { id: bEvent.id });
    expect(own.data?.event).toEqual({ streamId: 'b-1' });
  });

  it("cannot append to another tenant's stream: FORBIDDEN, and nothing is written", async () => {
    const refused = await a.gql(APPEND, { input: { streamId: 'b-1', events: newEvents(1) } });
    expect(refusals(refused.errors)).toEqual([['FORBIDDEN', 'stream b-1']]);
    const version = await admin.gql<{ streamVersion: number }>('{ streamVersion(streamId: "b-1") }');
    expect(version.data?.streamVersion).toBe(1);
  });

  it("is not told where another tenant's event id is stored", async () => {
    const response = await b.gql(APPEND, { input: { streamId: 'b-dup', events: [{ id: aEvent.id, type: 'Shared', data: {} }] } });
    expect(response.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT', field: 'input.events[0].id' } }]);
    expect(response.errors![0]!.message).toContain('is already stored in another stream');
    // The event id is in the message, and a random id may itself hold the characters "a-1".
    expect(response.errors![0]!.message.replace(aEvent.id, '')).not.toContain('a-1');
  });

  it("cannot record, read or delete snapshots of another tenant's streams", async () => {
    await b.gql('mutation { recordSnapshot(input: { sourceUuid: "s", streamUuid: "b-1", version: 1, data: { n: 1 } }) { version } }');
    const record = await a.gql('mutation { recordSnapshot(input: { sourceUuid: "s", streamUuid: "b-1", version: 2, data: {} }) { version } }');
    expect(refusals(record.errors)).toEqual([['FORBIDDEN', 'stream b-1']]);
    const read = await a.gql<{ snapshot: unknown; snapshots: { edges: unknown[] } }>('{ snapshot(sourceUuid: "s", streamUuid: "b-1") { version } snapshots { edges { cursor } } }');
    expect(read.data).toEqual({ snapshot: null, snapshots: { edges: [] } });
    const own = await b.gql<{ snapshots: { edges: { node: { version: number } }[] } }>('{ snapshots { edges { node { version } } } }');
    expect(own.data?.snapshots.edges.map((edge) => edge.node.version)).toEqual([1]);
  });

  it('cannot use persistent subscriptions, which select across streams', async () => {
    const response = await callerClient(gw, KEYS.admin.replace('tenants-admin', 'x')).gql('{ stores { id } }');
    expect(refusals(response.errors)).toEqual([['UNAUTHENTICATED', undefined]]);
    const ack = await a.gql('mutation { ackEvent(subscription: "any", eventId: "00000000-0000-4000-8000-000000000000") }');
    expect(refusals(ack.errors)).toEqual([['FORBIDDEN', 'consume']]);
  });

  it('even with the role for them, a scoped credential may not consume or manage persistent subscriptions: FORBIDDEN naming all streams', async () => {
    const ALL_STREAMS = [['FORBIDDEN', 'all streams']];
    expect((await admin.gql('mutation { saveSubscription(input: { name: "tenants-all", type: BY_STREAM, selector: "$all" }) { name } }')).errors).toBeUndefined();
    const consumer = callerClient(gw, KEYS.aConsumer);
    const ack = await consumer.gql('mutation { ackEvent(subscription: "tenants-all", eventId: "00000000-0000-4000-8000-000000000000") }');
    expect(refusals(ack.errors)).toEqual(ALL_STREAMS);
    const connection = await connectWs(gw, { connectionParams: { authorization: `Bearer ${KEYS.aConsumer}` } });
    try {
      const deliveries = connection.subscribe('subscription { persistent(subscription: "tenants-all") { retryCount } }');
      expect(refusals(await deliveries.waitForErrors())).toEqual(ALL_STREAMS);
    } finally {
      await connection.dispose();
    }
    const scopedAdmin = callerClient(gw, KEYS.aAdmin);
    const managed = await scopedAdmin.gql('mutation { saveSubscription(input: { name: "tenant-a-only", type: BY_STREAM, selector: "a-1" }) { name } }');
    expect(refusals(managed.errors)).toEqual(ALL_STREAMS);
    expect(refusals((await scopedAdmin.gql('{ persistentSubscriptions { name } }')).errors)).toEqual(ALL_STREAMS);
    expect(refusals((await scopedAdmin.gql('mutation { replayParked(subscription: "tenants-all") }')).errors)).toEqual(ALL_STREAMS);
    const saved = await admin.gql<{ persistentSubscriptions: { name: string }[] }>('{ persistentSubscriptions { name } }');
    expect(saved.data?.persistentSubscriptions.map((subscription) => subscription.name)).toEqual(['tenants-all']);
  });

  it('a credential limited to other stores may not use this one', async () => {
    const elsewhere = callerClient(gw, 'elsewhere-key-0123456789abc');
    const response = await elsewhere.gql<{ stores: { id: string }[] }>('{ stores { id } }');
    expect(response.data?.stores).toEqual([{ id: 'other' }]);
    const refused = await elsewhere.gql('{ streams { edges { cursor } } }');
    expect(refusals(refused.errors)).toEqual([['FORBIDDEN', 'store default']]);
  });

  describe('over graphql-ws, every kind of subscription, with and without a start', () => {
    let connection: WsConnection;
    beforeAll(async () => {
      connection = await connectWs(gw, { connectionParams: { authorization: `Bearer ${KEYS.a}` } });
    });
    afterAll(async () => {
      await connection.dispose();
    });

    it("yields only the tenant's own events, history and live", async () => {
      const kinds: [string, string, Record<string, unknown>][] = [
        ['$all', BY_STREAM, { streamId: '$all' }],
        ['the other tenant\'s stream', BY_STREAM, { streamId: 'b-1' }],
        ['event type', BY_EVENT_TYPE, { eventType: 'Shared' }],
        ['pattern', BY_EVENT_PATTERN, { pattern: { type: 'Shared' } }],
        ['pattern on a stream id', BY_EVENT_PATTERN, { pattern: { streamId: 'b-1' } }],
        ['payload', BY_EVENT_PAYLOAD, { payload: { shared: true } }],
      ];
      const subscriptions: [string, Collected<EventView>][] = [];
      for (const [name, query, variables] of kinds) {
        for (const start of [{}, { fromPosition: 1 }]) {
          const key = `${name} ${'fromPosition' in start ? 'from 1' : 'live'}`;
          subscriptions.push([key, await connection.subscribeActive<EventView>(query, { ...variables, ...start })]);
        }
      }
      await appendAs(b, 'b-1', 2);
      await appendAs(b, 'shared-b', 1);
      const [marker] = (await appendAs(a, 'a-3', 1)) as [EventView];
      // The own stream's marker comes last: any event of the other tenant would have been delivered before it.
      for (const [key, subscription] of subscriptions) {
        if (key.startsWith("the other tenant's stream") || key.startsWith('pattern on a stream id')) continue;
        const history = key.endsWith('from 1') ? 3 : 0;
        const events = await subscription.waitForEvents(history + 1);
        expect({ key, streams: streamsOf(events), last: events.at(-1)?.id }).toEqual({
          key,
          streams: history ? ['a-1', 'a-2', 'a-3'] : ['a-3'],
          last: marker.id,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const [key, subscription] of subscriptions) {
        const expected = key.startsWith("the other tenant's stream") || key.startsWith('pattern on a stream id') ? 0 : key.endsWith('from 1') ? 4 : 1;
        expect({ key, delivered: subscription.events.length, errors: subscription.errors }).toEqual({ key, delivered: expected, errors: [] });
      }
    });
  });
});
