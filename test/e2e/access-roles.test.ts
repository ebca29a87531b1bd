import { createHash, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/access-config.js';
import { callerClient, refusals, ROLE_KEYS, ROLE_KEYS_ENV, type CallerClient } from '../support/callers.js';
import { APPEND, BY_STREAM } from '../support/queries.js';
import { newEvents, type GraphQLResponse } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { subscribeSse } from '../support/sse-client.js';
import { askOverWs, connectWs, type WsConnection } from '../support/ws-client.js';

const gw = useGateway({ env: { GATER_API_KEYS: ROLE_KEYS_ENV } });
const as = (role: Role): CallerClient => callerClient(gw, ROLE_KEYS[role]);

interface OperationClass {
  name: string;
  /** The permission a refusal names as missing. */
  needs: string;
  allowed: readonly Role[];
  run(client: CallerClient): Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>;
}

const EVERYONE = ROLES;
const SUBSCRIPTION = 'roles-sub';

const OPERATION_CLASSES: OperationClass[] = [
  { name: 'query', needs: 'read', allowed: EVERYONE, run: (c) => c.gql('{ stores { id } streams { edges { node { id } } } events(first: 1) { edges { cursor } } }') },
  {
    name: 'append',
    needs: 'write',
    allowed: ['writer', 'admin'],
    run: (c) => c.gql(APPEND, { input: { streamId: `roles-${randomUUID()}`, events: newEvents(1) } }),
  },
  {
    name: 'snapshot write',
    needs: 'write',
    allowed: ['writer', 'admin'],
    run: (c) => c.gql('mutation { recordSnapshot(input: { sourceUuid: "s", streamUuid: "roles-snap", version: 0, data: {} }) { version } }'),
  },
  {
    name: 'snapshot delete',
    needs: 'admin',
    allowed: ['admin'],
    run: (c) => c.gql('mutation { deleteSnapshot(sourceUuid: "s", streamUuid: "roles-snap", version: 9) }'),
  },
  {
    name: 'persistent acks and nack',
    needs: 'consume',
    allowed: ['consumer', 'admin'],
    run: (c) =>
      c.gql(
        `mutation { ackEvent(subscription: "${SUBSCRIPTION}", eventId: "${randomUUID()}") ` +
          `ackEvents(subscription: "${SUBSCRIPTION}", eventIds: ["${randomUUID()}"]) nackEvent(subscription: "${SUBSCRIPTION}", eventId: "${randomUUID()}") }`,
      ),
  },
  {
    name: 'subscription management',
    needs: 'admin',
    allowed: ['admin'],
    run: (c) => c.gql(`mutation { saveSubscription(input: { name: "${SUBSCRIPTION}", type: BY_STREAM, selector: "$all" }) { name } }`),
  },
  { name: 'subscription listing', needs: 'admin', allowed: ['admin'], run: (c) => c.gql('{ persistentSubscriptions { name } }') },
  { name: 'replay parked', needs: 'admin', allowed: ['admin'], run: (c) => c.gql(`mutation { replayParked(subscription: "${SUBSCRIPTION}") }`) },
  { name: 'cluster addresses', needs: 'admin', allowed: ['admin'], run: (c) => c.gql('{ clusterNodes { address } cluster { gateways { address } } }') },
];

describe.each(OPERATION_CLASSES)('$name over HTTP', (operation) => {
  it.each(ROLES)('as %s', async (role) => {
    if (operation.name !== 'subscription management') {
      await as('admin').gql(`mutation { saveSubscription(input: { name: "${SUBSCRIPTION}", type: BY_STREAM, selector: "$all" }) { name } }`);
    }
    const response = await operation.run(as(role));
    if (operation.allowed.includes(role)) {
      expect(response.errors).toBeUndefined();
    } else {
      expect(response.errors!.length).toBeGreaterThan(0);
      expect(new Set(refusals(response.errors as never).map(String))).toEqual(new Set([`FORBIDDEN,${operation.needs}`]));
    }
  });
});

describe('subscriptions over HTTP (SSE)', () => {
  const sseAs = (role: Role, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    subscribeSse<{ id: string }>(gw.url, { method: 'POST', query, variables, headers: { authorization: `Bearer ${ROLE_KEYS[role]}`, ...headers } });

  it.each(ROLES)('a live subscription runs as %s, its history and its live part', async (role) => {
    const streamId = `sse-${role}-${randomUUID()}`;
    await as('writer').gql(APPEND, { input: { streamId, events: newEvents(1) } });
    const live = sseAs(role, BY_STREAM, { streamId, fromVersion: 0 });
    try {
      expect(await live.waitForEvents(1)).toHaveLength(1);
      await as('writer').gql(APPEND, { input: { streamId, events: newEvents(1) } });
      expect(await live.waitForEvents(2)).toHaveLength(2);
    } finally {
      live.unsubscribe();
    }
  });

  it.each(ROLES)('consuming a persistent subscription as %s', async (role) => {
    await as('admin').gql(`mutation { saveSubscription(input: { name: "${SUBSCRIPTION}", type: BY_STREAM, selector: "$all" }) { name } }`);
    const consumer = sseAs(role, `subscription { persistent(subscription: "${SUBSCRIPTION}") { retryCount } }`, undefined, {
      'x-gater-consumer-token': `sse-consumer-${role}-0123456789abcdef`,
    });
    try {
      if (role === 'consumer' || role === 'admin') {
        await as('writer').gql(APPEND, { input: { streamId: `consume-sse-${randomUUID()}`, events: newEvents(1) } });
        expect(await consumer.waitForEvents(1)).toHaveLength(1);
      } else {
        expect(refusals(await consumer.waitForErrors())).toEqual([['FORBIDDEN', 'consume']]);
      }
    } finally {
      consumer.unsubscribe();
    }
  });
});

describe('a refused field', () => {
  it('is FORBIDDEN saying what was missing, while the other fields of the request are answered', async () => {
    const response = await as('reader').gql<{ stores: { id: string }[]; clusterNodes: { role: string; address: string | null }[] }>(
      '{ stores { id } clusterNodes { role address } }',
    );
    expect(response.data?.stores).toEqual([{ id: 'default' }]);
    expect(response.data?.clusterNodes).toEqual([{ role: 'LEADER', address: null }]);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({
      message: 'role reader may not administer (manage persistent subscriptions and snapshots, see node addresses): that needs the admin role',
      path: ['clusterNodes', 0, 'address'],
      extensions: { code: 'FORBIDDEN', missing: 'admin' },
    });
  });

  it('keeps node addresses out of ids for other roles than admin', async () => {
    const reader = await as('reader').gql<{ clusterNodes: { id: string }[] }>('{ clusterNodes { id } }');
    const admin = await as('admin').gql<{ clusterNodes: { id: string; address: string }[] }>('{ clusterNodes { id address } }');
    const [node] = admin.data!.clusterNodes;
    expect(node!.address).toContain(new URL(gw.databaseUrl).port);
    expect(reader.data!.clusterNodes[0]!.id).toMatch(/^node-[0-9a-f]{12}$/);
    expect(reader.data!.clusterNodes[0]!.id).not.toContain(new URL(gw.databaseUrl).port);
  });
});

describe('without a valid credential', () => {
  it.each([
    ['no credential', undefined, 'a credential is needed: send Authorization: Bearer <API key or token>'],
    ['an unknown key', 'not-a-key-of-this-gateway', 'the credential is not a known API key or a valid token'],
  ])('%s is UNAUTHENTICATED, and nothing is written', async (_case, credential, message) => {
    const streamId = `anon-${randomUUID()}`;
    const refused = await callerClient(gw, credential).gql(APPEND, { input: { streamId, events: newEvents(1) } });
    expect(refused.data).toBeNull();
    expect(refused.errors).toMatchObject([{ message, extensions: { code: 'UNAUTHENTICATED' } }]);
    const read = await as('reader').gql<{ streamVersion: number }>('query ($id: String!) { streamVersion(streamId: $id) }', { id: streamId });
    expect(read.data?.streamVersion).toBe(-1);
  });

  it('a credential not sent as Bearer is UNAUTHENTICATED', async () => {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${ROLE_KEYS.admin}` },
      body: JSON.stringify({ query: '{ stores { id } }' }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('a mutation of several fields, one of which the role does not allow', () => {
  const mutation = `mutation Mixed($streamId: String!, $withDelete: Boolean = true) {
    a: appendEvents(input: { streamId: $streamId, events: [{ type: "Mixed", data: {} }] }) { __typename }
    b: deleteSnapshot(sourceUuid: "s", streamUuid: "x", version: 0) @include(if: $withDelete)
  }`;
  const version = async (streamId: string) => (await as('admin').gql<{ streamVersion: number }>('query V($s: String!) { streamVersion(streamId: $s) }', { s: streamId })).data?.streamVersion;

  it('is refused whole before any field runs: FORBIDDEN on that field, and the append before it writes nothing', async () => {
    const streamId = `mixed-${randomUUID()}`;
    const answer = await as('writer').gql(mutation, { streamId });
    expect(answer.data ?? null, JSON.stringify(answer)).toBeNull();
    expect(answer.errors?.map((error) => [error.extensions?.code, error.extensions?.missing, error.path])).toEqual([['FORBIDDEN', 'admin', ['b']]]);
    expect(await version(streamId)).toBe(-1);
  });

  it('runs when the field it may not run is left out by @include, and for a role that allows every field', async () => {
    const streamId = `mixed-${randomUUID()}`;
    expect((await as('writer').gql(mutation, { streamId, withDelete: false })).data).toEqual({ a: { __typename: 'AppendEventsSuccess' } });
    expect((await as('admin').gql(mutation, { streamId })).data).toEqual({ a: { __typename: 'AppendEventsSuccess' }, b: false });
    expect(await version(streamId)).toBe(1);
  });
});

describe('schema introspection once credentials are configured', () => {
  it('is for admins only', async () => {
    const query = '{ __schema { queryType { name } } }';
    expect((await as('admin').gql(query)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(refusals((await as('reader').gql(query)).errors)).toEqual([['FORBIDDEN', 'admin']]);
  });

  it('answers UNAUTHENTICATED, not FORBIDDEN, to a caller with no credential or one that is not valid, so that it fetches a fresh one', async () => {
    for (const credential of [undefined, 'not-a-key-0123456789abcdef']) {
      const answer = await callerClient(gw, credential).gql('{ __type(name: "Event") { name } }');
      expect(refusals(answer.errors), String(credential)).toEqual([['UNAUTHENTICATED', undefined]]);
    }
  });

  it('refuses it before it runs: 400 with no data for a client that accepts application/graphql-response+json', async () => {
    for (const credential of [undefined, ROLE_KEYS.reader]) {
      const response = await fetch(gw.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...(credential ? { authorization: `Bearer ${credential}` } : {}),
        },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      });
      const body = (await response.json()) as GraphQLResponse<unknown>;
      expect([response.status, 'data' in body, body.errors?.length], String(credential)).toEqual([400, false, 1]);
    }
  });

  it('names no field, argument, type, input field or enum value in its refusals of misspelt ones, over HTTP and graphql-ws', async () => {
    const misspelt: [string, Record<string, unknown>?][] = [
      // How scanners look for suggestions when introspection is refused.
      ['{ __schema { directive } }'],
      ['{ stremas { edges { cursor } } }'],
      ['{ stream(idd: "x") { id } }'],
      ['query ($id: Strin!) { stream(id: $id) { id } }', { id: 'x' }],
      ['mutation { nackEvent(subscription: "s", eventId: "00000000-0000-0000-0000-000000000000", action: RETYR) }'],
      ['mutation ($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }', { input: { streamid: 'x', events: [] } }],
    ];
    const ws = await connectWs(gw, { connectionParams: { authorization: `Bearer ${ROLE_KEYS.reader}` } });
    try {
      for (const [query, variables] of misspelt) {
        const get = new URL(gw.url);
        get.searchParams.set('query', query);
        if (variables) get.searchParams.set('variables', JSON.stringify(variables));
        const answers = [
          await as('reader').gql(query, variables),
          await callerClient(gw, undefined).gql(query, variables),
          (await (await fetch(get, { headers: { authorization: `Bearer ${ROLE_KEYS.admin}`, accept: 'application/json' } })).json()) as GraphQLResponse<unknown>,
          await askOverWs(ws.client, query, variables),
        ];
        for (const answer of answers) {
          expect(answer.errors?.length, `${query}: ${JSON.stringify(answer)}`).toBeGreaterThan(0);
          expect(JSON.stringify(answer.errors), query).not.toContain('Did you mean');
        }
      }
    } finally {
      await ws.dispose();
    }
  });

  it('still answers __typename to everyone', async () => {
    expect((await as('reader').gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('serves no GraphiQL page to browsers', async () => {
    const page = await fetch(gw.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
  });
});

describe('over graphql-ws', () => {
  const connections: WsConnection[] = [];
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((connection) => connection.dispose()));
  });
  const connectAs = async (credential: string | undefined) => {
    const connection = await connectWs(gw, { connectionParams: credential === undefined ? {} : { authorization: `Bearer ${credential}` } });
    connections.push(connection);
    return connection;
  };

  it.each([
    ['no credential', undefined],
    ['an unknown key', 'not-a-key-of-this-gateway'],
  ])('%s closes the socket with 4403', async (_case, credential) => {
    await expect(connectAs(credential)).rejects.toMatchObject({ code: 4403 });
  });

  it.each(ROLES)('every operation class as %s: allowed or FORBIDDEN as over HTTP', async (role) => {
    const connection = await connectAs(ROLE_KEYS[role]);
    await as('admin').gql(`mutation { saveSubscription(input: { name: "${SUBSCRIPTION}", type: BY_STREAM, selector: "$all" }) { name } }`);
    for (const operation of OPERATION_CLASSES) {
      const response = await operation.run({ gql: (query, variables) => askOverWs(connection.client, query, variables) });
      const expected = operation.allowed.includes(role) ? [] : [`FORBIDDEN,${operation.needs}`];
      expect({ operation: operation.name, refusals: [...new Set(refusals(response.errors as never).map(String))] }).toEqual({ operation: operation.name, refusals: expected });
    }
  });

  it.each(ROLES)('a live subscription runs as %s', async (role) => {
    const connection = await connectAs(ROLE_KEYS[role]);
    const streamId = `ws-${role}-${randomUUID()}`;
    const live = await connection.subscribeActive<{ byStream: { streamId: string } }>(BY_STREAM, { streamId });
    await as('writer').gql(APPEND, { input: { streamId, events: newEvents(1) } });
    expect(await live.waitForEvents(1)).toHaveLength(1);
  });

  it.each(ROLES)('consuming a persistent subscription as %s', async (role) => {
    await as('admin').gql(`mutation { saveSubscription(input: { name: "${SUBSCRIPTION}", type: BY_STREAM, selector: "$all" }) { name } }`);
    const connection = await connectAs(ROLE_KEYS[role]);
    const consumer = connection.subscribe(`subscription { persistent(subscription: "${SUBSCRIPTION}") { retryCount } }`);
    if (role === 'consumer' || role === 'admin') {
      await as('writer').gql(APPEND, { input: { streamId: `consume-${randomUUID()}`, events: newEvents(1) } });
      expect(await consumer.waitForEvents(1)).toHaveLength(1);
      consumer.unsubscribe();
    } else {
      expect(refusals(await consumer.waitForErrors())).toEqual([['FORBIDDEN', 'consume']]);
    }
  });
});

it('gives a reader no way to work out a node address from the ids of the cluster and its nodes', async () => {
  type ClusterIds = { data: { cluster: { id: string; nodes: { id: string }[] } } };
  const ids = '{ cluster { id nodes { id } } }';
  const addresses = ((await as('admin').gql(ids)) as ClusterIds).data.cluster.nodes.map((node) => node.id);
  const { cluster } = ((await as('reader').gql(ids)) as ClusterIds).data;
  // What one would try: a digest of the addresses, as an unkeyed id would be made.
  const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
  const guesses = [digest(JSON.stringify([...addresses].sort())), ...addresses.map(digest), ...addresses];

  for (const id of [cluster.id, ...cluster.nodes.map((node) => node.id)]) {
    expect(guesses.some((guess) => id.includes(guess))).toBe(false);
  }
  expect(((await as('reader').gql(ids)) as ClusterIds).data.cluster.id).toBe(cluster.id);
});
