import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { APPEND } from '../support/queries.js';
import { appendSuccess, newEvents, readStream } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';
import { waitUntil } from '../support/ws-client.js';

const gw = useGateway();

const codes = (answer: { errors?: { extensions?: Record<string, unknown> }[] }) => (answer.errors ?? []).map((error) => error.extensions?.code);

/**
 * A database that refuses new connections (an operator's ALLOW_CONNECTIONS false, too many
 * clients, a role whose login was revoked) is a fault of the cluster, not a bug: PostgreSQL
 * refuses while connecting, so nothing was sent.
 */
describe('a database that refuses new connections', () => {
  it('answers CLUSTER_UNAVAILABLE and writes nothing, then serves again once it takes connections', async () => {
    // From another database of the server: PostgreSQL refuses to close the one it is connected to.
    const url = new URL(gw.databaseUrl);
    const name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    const database = pg.escapeIdentifier(name);
    await appendSuccess(gw, { streamId: 'before', events: newEvents(1) });
    const append = () => gw.gql(APPEND, { input: { streamId: 'while-refused', events: newEvents(1) } });
    try {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const node = gw.gateway.cluster.nodes[0]!;
      // Every pooled connection gone, so that the append has to open one.
      await waitUntil(() => node.pool.totalCount === 0 && node.readPool.totalCount === 0, 'the pools to lose their connections');
      expect(codes(await append())).toEqual(['CLUSTER_UNAVAILABLE']);
    } finally {
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect(await readStream(gw, 'while-refused')).toEqual([]);
    await vi.waitFor(async () => expect(codes(await append())).toEqual([]), { timeout: 15_000, interval: 200 });
    expect(await readStream(gw, 'while-refused')).toHaveLength(1);
  });
});
