import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The ConfigError loadConfig throws for this environment. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig with an empty environment', () => {
  it('answers every default', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4000,
      dataDir: path.resolve('./data'),
      nodes: [],
      stores: ['default'],
      clusterSecret: undefined,
      clusterPort: 45892,
      gossipMulticastAddr: '239.255.0.1',
      gossipSeeds: [],
      health: { probeIntervalMs: 1000, probeTimeoutMs: 1000, downAfterFailures: 3, maxReplicaLagMs: 5000 },
      timeouts: { readMs: 30_000, writeMs: 10_000, shutdownMs: 10_000 },
      limits: {
        maxEventBytes: 1024 * 1024,
        maxEventsPerAppend: 1000,
        maxPageSize: 1000,
        defaultPageSize: 100,
        maxAliases: 30,
        maxFieldRepeats: 50,
        maxDepth: 15,
        maxTokens: 10_000,
        maxPageItems: 10_000,
        maxRequestEvents: 10_000,
        maxRequestEventBytes: 16 * 1024 * 1024,
        maxBodyBytes: 16 * 1024 * 1024,
        maxRequestBytesInFlight: 256 * 1024 * 1024,
        maxWsMessageBytes: 16 * 1024 * 1024,
        maxJsonDepth: 64,
      },
      maxSubscriptionsPerConnection: 100,
      subscriberBuffer: 1024,
      subscriptionBounds: {
        subscriberBufferBytes: 8 * 2 ** 20,
        subscriberBufferTotalBytes: 256 * 2 ** 20,
        sharedResultsBytes: 64 * 2 ** 20,
        slowConsumerBytes: 16 * 2 ** 20,
        slowConsumerTimeoutMs: 30_000,
        maxPerClient: 10_000,
        maxPerGateway: 100_000,
      },
      corsOrigins: [],
      access: { apiKeys: [], jwt: undefined, anonymousRole: 'admin', graphiql: true, introspection: 'everyone' },
      persistedDocuments: { apq: { maxDocuments: 1000, maxBytes: 16 * 1024 * 1024 }, trusted: null },
      retention: { intervalMs: 10_000, busyPauseMs: 100, maxEvents: 1_000, maxStreams: 1_000 },
      logLevel: 'info',
    });
  });

  it('never reads process.env when given an environment', () => {
    const saved = process.env.PORT;
    process.env.PORT = '1234';
    try {
      expect(loadConfig({}).port).toBe(4000);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('treats a blank value as unset', () => {
    const config = loadConfig({ HOST: '  ', PORT: '', GATER_STORES: ' ', EX_ESDB_CLUSTER_SECRET: '   ', GATER_NODES: '' });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 4000, stores: ['default'], clusterSecret: undefined, nodes: [] });
  });
});

describe('each variable is read', () => {
  it('HOST', () => {
    expect(loadConfig({ HOST: '0.0.0.0', GATER_ANONYMOUS_ROLE: 'reader' }).host).toBe('0.0.0.0');
  });

  it('PORT, 0 to pick a free one, surrounding spaces ignored', () => {
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: ' 65535 ' }).port).toBe(65535);
  });

  it('GATER_DATA_DIR, made absolute', () => {
    expect(loadConfig({ GATER_DATA_DIR: '/var/lib/gater' }).dataDir).toBe('/var/lib/gater');
    expect(loadConfig({ GATER_DATA_DIR: 'relative/dir' }).dataDir).toBe(path.resolve('relative/dir'));
  });

  it('GATER_NODES, one URL per node, postgres:// or postgresql://', () => {
    expect(loadConfig({ GATER_NODES: 'postgres://u:p@host1:5432/db, postgresql://u:p@host2:5433/db ,' }).nodes).toEqual([
      'postgres://u:p@host1:5432/db',
      'postgresql://u:p@host2:5433/db',
    ]);
  });

  it('DATABASE_URL alone, as a one-node list', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db.example/app' }).nodes).toEqual(['postgres://u@db.example/app']);
  });

  it('GATER_NODES over DATABASE_URL when both are set', () => {
    expect(loadConfig({ GATER_NODES: 'postgres://a/db', DATABASE_URL: 'postgres://b/db' }).nodes).toEqual(['postgres://a/db']);
  });

  it('GATER_STORES, a comma list whose first entry is the default store', () => {
    expect(loadConfig({ GATER_STORES: 'orders, users ,audit_log' }).stores).toEqual(['orders', 'users', 'audit_log']);
  });

  it('EX_ESDB_STORE_ID when GATER_STORES is unset', () => {
    expect(loadConfig({ EX_ESDB_STORE_ID: 'reg_gh' }).stores).toEqual(['reg_gh']);
  });

  it('GATER_STORES over EX_ESDB_STORE_ID when both are set', () => {
    expect(loadConfig({ GATER_STORES: 'a,b', EX_ESDB_STORE_ID: 'c' }).stores).toEqual(['a', 'b']);
  });

  it('EX_ESDB_CLUSTER_SECRET, else EX_ESDB_COOKIE, else RELEASE_COOKIE', () => {
    const [s, c, r] = ['s'.repeat(16), 'c'.repeat(16), 'r'.repeat(16)];
    expect(loadConfig({ EX_ESDB_CLUSTER_SECRET: s, EX_ESDB_COOKIE: c, RELEASE_COOKIE: r }).clusterSecret).toBe(s);
    expect(loadConfig({ EX_ESDB_COOKIE: c, RELEASE_COOKIE: r }).clusterSecret).toBe(c);
    expect(loadConfig({ RELEASE_COOKIE: r }).clusterSecret).toBe(r);
  });

  it('EX_ESDB_CLUSTER_PORT', () => {
    expect(loadConfig({ EX_ESDB_CLUSTER_PORT: '46000' }).clusterPort).toBe(46000);
    expect(loadConfig({ EX_ESDB_CLUSTER_PORT: '1' }).clusterPort).toBe(1);
    expect(loadConfig({ EX_ESDB_CLUSTER_PORT: '65535' }).clusterPort).toBe(65535);
  });

  it('EX_ESDB_GOSSIP_MULTICAST_ADDR', () => {
    expect(loadConfig({ EX_ESDB_GOSSIP_MULTICAST_ADDR: '239.1.2.3' }).gossipMulticastAddr).toBe('239.1.2.3');
  });

  it('GATER_GOSSIP_SEEDS, a comma list of host:port', () => {
    expect(loadConfig({ GATER_GOSSIP_SEEDS: '10.0.0.2:45892, gateway-b:46000 ,' }).gossipSeeds).toEqual([
      { host: '10.0.0.2', port: 45892 },
      { host: 'gateway-b', port: 46000 },
    ]);
  });

  it('GATER_PROBE_INTERVAL_MS, GATER_PROBE_TIMEOUT_MS, GATER_DOWN_AFTER_FAILURES, GATER_MAX_REPLICA_LAG_MS', () => {
    const env = { GATER_PROBE_INTERVAL_MS: '250', GATER_PROBE_TIMEOUT_MS: '400', GATER_DOWN_AFTER_FAILURES: '1', GATER_MAX_REPLICA_LAG_MS: '0' };
    expect(loadConfig(env).health).toEqual({ probeIntervalMs: 250, probeTimeoutMs: 400, downAfterFailures: 1, maxReplicaLagMs: 0 });
  });

  it('GATER_READ_TIMEOUT_MS, GATER_WRITE_TIMEOUT_MS, GATER_SHUTDOWN_TIMEOUT_MS', () => {
    const env = { GATER_READ_TIMEOUT_MS: '5000', GATER_WRITE_TIMEOUT_MS: '1500', GATER_SHUTDOWN_TIMEOUT_MS: '0' };
    expect(loadConfig(env).timeouts).toEqual({ readMs: 5000, writeMs: 1500, shutdownMs: 0 });
  });

  it('GATER_MAX_EVENT_BYTES', () => {
    expect(loadConfig({ GATER_MAX_EVENT_BYTES: '1024' }).limits.maxEventBytes).toBe(1024);
  });

  it('GATER_CORS_ORIGINS, a comma list of origins written as browsers send them', () => {
    expect(loadConfig({ GATER_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ GATER_CORS_ORIGINS: 'HTTPS://App.Example.com:443/,https://app.example.com' }).corsOrigins).toEqual(['https://app.example.com']);
  });

  it('GATER_MAX_APPEND_EVENTS', () => {
    expect(loadConfig({ GATER_MAX_APPEND_EVENTS: '5' }).limits.maxEventsPerAppend).toBe(5);
  });

  it('GATER_MAX_REQUEST_BYTES_IN_FLIGHT takes in the largest body or message allowed when they are set larger than its default', () => {
    expect(loadConfig({ GATER_MAX_BODY_BYTES: String(512 * 1024 * 1024) }).limits.maxRequestBytesInFlight).toBe(512 * 1024 * 1024);
    expect(loadConfig({ GATER_MAX_WS_MESSAGE_BYTES: String(300 * 1024 * 1024) }).limits.maxRequestBytesInFlight).toBe(300 * 1024 * 1024);
    expect(loadConfig({ GATER_MAX_REQUEST_BYTES_IN_FLIGHT: String(64 * 1024 * 1024) }).limits.maxRequestBytesInFlight).toBe(64 * 1024 * 1024);
  });

  it('the operation and request budgets', () => {
    const env = {
      GATER_MAX_ALIASES: '0',
      GATER_MAX_DEPTH: '8',
      GATER_MAX_FIELD_REPEATS: '5',
      GATER_MAX_TOKENS: '2000',
      GATER_MAX_PAGE_ITEMS: '500',
      GATER_MAX_REQUEST_EVENTS: '100',
      GATER_MAX_REQUEST_EVENT_BYTES: '65536',
      GATER_MAX_BODY_BYTES: '1048576',
      GATER_MAX_REQUEST_BYTES_IN_FLIGHT: '8388608',
      GATER_MAX_WS_MESSAGE_BYTES: '2097152',
      GATER_MAX_JSON_DEPTH: '16',
    };
    expect(loadConfig(env).limits).toMatchObject({
      maxAliases: 0,
      maxDepth: 8,
      maxFieldRepeats: 5,
      maxTokens: 2000,
      maxPageItems: 500,
      maxRequestEvents: 100,
      maxRequestEventBytes: 65536,
      maxBodyBytes: 1048576,
      maxRequestBytesInFlight: 8388608,
      maxWsMessageBytes: 2097152,
      maxJsonDepth: 16,
    });
  });

  it('GATER_SUBSCRIBER_BUFFER_BYTES and _TOTAL_BYTES, GATER_SHARED_RESULTS_BYTES, GATER_SLOW_CONSUMER_BYTES and _TIMEOUT_MS, GATER_MAX_SUBSCRIPTIONS_PER_CLIENT, GATER_MAX_SUBSCRIPTIONS', () => {
    const env = {
      GATER_SUBSCRIBER_BUFFER_BYTES: '1048576',
      GATER_SUBSCRIBER_BUFFER_TOTAL_BYTES: '67108864',
      GATER_SHARED_RESULTS_BYTES: '0',
      GATER_SLOW_CONSUMER_BYTES: '65536',
      GATER_SLOW_CONSUMER_TIMEOUT_MS: '500',
      GATER_MAX_SUBSCRIPTIONS_PER_CLIENT: '5',
      GATER_MAX_SUBSCRIPTIONS: '50',
    };
    expect(loadConfig(env).subscriptionBounds).toEqual({
      subscriberBufferBytes: 1048576,
      subscriberBufferTotalBytes: 67108864,
      sharedResultsBytes: 0,
      slowConsumerBytes: 65536,
      slowConsumerTimeoutMs: 500,
      maxPerClient: 5,
      maxPerGateway: 50,
    });
  });
});

describe('an invalid value stops start-up with one ConfigError line naming the variable', () => {
  const cases: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'http' }],
    ['PORT', { PORT: '80.5' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '65536' }],
    ['PORT', { PORT: '4e3' }],
    ['GATER_NODES', { GATER_NODES: 'not a url' }],
    ['GATER_NODES', { GATER_NODES: 'mysql://host/db' }],
    ['GATER_NODES', { GATER_NODES: 'http://host/db' }],
    ['GATER_NODES', { GATER_NODES: 'postgres:///db' }],
    ['GATER_NODES', { GATER_NODES: 'postgres://good/db,bad' }],
    ['GATER_NODES', { GATER_NODES: 'postgres://host:70000/db' }],
    ['GATER_NODES', { GATER_NODES: 'postgres://host:0/db' }],
    ['GATER_NODES', { GATER_NODES: 'postgres://a/db,postgres://u@a:5432/other' }],
    ['DATABASE_URL', { DATABASE_URL: 'localhost:5432' }],
    ['GATER_STORES', { GATER_STORES: 'Orders' }],
    ['GATER_STORES', { GATER_STORES: '1orders' }],
    ['GATER_STORES', { GATER_STORES: 'my-store' }],
    ['GATER_STORES', { GATER_STORES: 'a'.repeat(41) }],
    ['GATER_STORES', { GATER_STORES: 'a,b,a' }],
    ['EX_ESDB_STORE_ID', { EX_ESDB_STORE_ID: 'Reg GH' }],
    ['EX_ESDB_CLUSTER_PORT', { EX_ESDB_CLUSTER_PORT: '0' }],
    ['EX_ESDB_CLUSTER_PORT', { EX_ESDB_CLUSTER_PORT: '65536' }],
    ['EX_ESDB_CLUSTER_PORT', { EX_ESDB_CLUSTER_PORT: 'gossip' }],
    ['EX_ESDB_GOSSIP_MULTICAST_ADDR', { EX_ESDB_GOSSIP_MULTICAST_ADDR: '256.0.0.1' }],
    ['EX_ESDB_GOSSIP_MULTICAST_ADDR', { EX_ESDB_GOSSIP_MULTICAST_ADDR: '239.1.2' }],
    ['EX_ESDB_GOSSIP_MULTICAST_ADDR', { EX_ESDB_GOSSIP_MULTICAST_ADDR: 'multicast' }],
    ['EX_ESDB_GOSSIP_MULTICAST_ADDR', { EX_ESDB_GOSSIP_MULTICAST_ADDR: '10.0.0.1' }],
    ['GATER_GOSSIP_SEEDS', { GATER_GOSSIP_SEEDS: 'gateway-b' }],
    ['GATER_GOSSIP_SEEDS', { GATER_GOSSIP_SEEDS: 'gateway-b:0' }],
    ['GATER_GOSSIP_SEEDS', { GATER_GOSSIP_SEEDS: 'gateway-b:65536' }],
    ['GATER_GOSSIP_SEEDS', { GATER_GOSSIP_SEEDS: '10.0.0.2:45892,:45892' }],
    ['GATER_GOSSIP_SEEDS', { GATER_GOSSIP_SEEDS: '[::1]:45892' }],
    ['GATER_PROBE_INTERVAL_MS', { GATER_PROBE_INTERVAL_MS: '0' }],
    ['GATER_PROBE_INTERVAL_MS', { GATER_PROBE_INTERVAL_MS: '1s' }],
    ['GATER_PROBE_TIMEOUT_MS', { GATER_PROBE_TIMEOUT_MS: '0' }],
    ['GATER_PROBE_TIMEOUT_MS', { GATER_PROBE_TIMEOUT_MS: '-5' }],
    ['GATER_DOWN_AFTER_FAILURES', { GATER_DOWN_AFTER_FAILURES: '0' }],
    ['GATER_DOWN_AFTER_FAILURES', { GATER_DOWN_AFTER_FAILURES: 'three' }],
    ['GATER_MAX_REPLICA_LAG_MS', { GATER_MAX_REPLICA_LAG_MS: '-1' }],
    ['GATER_MAX_REPLICA_LAG_MS', { GATER_MAX_REPLICA_LAG_MS: '5 s' }],
    ['GATER_READ_TIMEOUT_MS', { GATER_READ_TIMEOUT_MS: '0' }],
    ['GATER_WRITE_TIMEOUT_MS', { GATER_WRITE_TIMEOUT_MS: '10s' }],
    ['GATER_SHUTDOWN_TIMEOUT_MS', { GATER_SHUTDOWN_TIMEOUT_MS: '-1' }],
    ['GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION', { GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION: '0' }],
    ['GATER_SUBSCRIBER_BUFFER', { GATER_SUBSCRIBER_BUFFER: 'many' }],
    ['GATER_SUBSCRIBER_BUFFER_BYTES', { GATER_SUBSCRIBER_BUFFER_BYTES: '8MiB' }],
    ['GATER_SUBSCRIBER_BUFFER_BYTES', { GATER_SUBSCRIBER_BUFFER_BYTES: '10' }],
    ['GATER_SUBSCRIBER_BUFFER_TOTAL_BYTES', { GATER_SUBSCRIBER_BUFFER_TOTAL_BYTES: '256MiB' }],
    ['GATER_SHARED_RESULTS_BYTES', { GATER_SHARED_RESULTS_BYTES: '-1' }],
    ['GATER_SLOW_CONSUMER_BYTES', { GATER_SLOW_CONSUMER_BYTES: 'lots' }],
    ['GATER_SLOW_CONSUMER_TIMEOUT_MS', { GATER_SLOW_CONSUMER_TIMEOUT_MS: '0' }],
    ['GATER_MAX_SUBSCRIPTIONS_PER_CLIENT', { GATER_MAX_SUBSCRIPTIONS_PER_CLIENT: '0' }],
    ['GATER_MAX_SUBSCRIPTIONS', { GATER_MAX_SUBSCRIPTIONS: '1e5' }],
    ['GATER_MAX_EVENT_BYTES', { GATER_MAX_EVENT_BYTES: '0' }],
    ['GATER_MAX_EVENT_BYTES', { GATER_MAX_EVENT_BYTES: '1MB' }],
    ['GATER_MAX_EVENT_BYTES', { GATER_MAX_EVENT_BYTES: String(256 * 1024 * 1024 + 1) }],
    ['GATER_MAX_APPEND_EVENTS', { GATER_MAX_APPEND_EVENTS: '0' }],
    ['GATER_MAX_APPEND_EVENTS', { GATER_MAX_APPEND_EVENTS: '100001' }],
    ['GATER_MAX_APPEND_EVENTS', { GATER_MAX_APPEND_EVENTS: 'many' }],
    ['GATER_MAX_ALIASES', { GATER_MAX_ALIASES: '-1' }],
    ['GATER_MAX_FIELD_REPEATS', { GATER_MAX_FIELD_REPEATS: '0' }],
    ['GATER_MAX_DEPTH', { GATER_MAX_DEPTH: '0' }],
    ['GATER_MAX_TOKENS', { GATER_MAX_TOKENS: '10k' }],
    ['GATER_MAX_PAGE_ITEMS', { GATER_MAX_PAGE_ITEMS: '0' }],
    ['GATER_MAX_REQUEST_EVENTS', { GATER_MAX_REQUEST_EVENTS: '0' }],
    ['GATER_MAX_REQUEST_EVENT_BYTES', { GATER_MAX_REQUEST_EVENT_BYTES: '16MiB' }],
    ['GATER_MAX_BODY_BYTES', { GATER_MAX_BODY_BYTES: '100' }],
    ['GATER_MAX_REQUEST_BYTES_IN_FLIGHT', { GATER_MAX_REQUEST_BYTES_IN_FLIGHT: '1048576' }],
    ['GATER_MAX_REQUEST_BYTES_IN_FLIGHT', { GATER_MAX_BODY_BYTES: '2097152', GATER_MAX_REQUEST_BYTES_IN_FLIGHT: '1048576' }],
    ['GATER_MAX_REQUEST_BYTES_IN_FLIGHT', { GATER_MAX_BODY_BYTES: '1048576', GATER_MAX_WS_MESSAGE_BYTES: '2097152', GATER_MAX_REQUEST_BYTES_IN_FLIGHT: '1048576' }],
    ['GATER_MAX_WS_MESSAGE_BYTES', { GATER_MAX_WS_MESSAGE_BYTES: String(2 * 1024 * 1024 * 1024) }],
    ['GATER_MAX_JSON_DEPTH', { GATER_MAX_JSON_DEPTH: '1001' }],
    ['GATER_RETENTION_INTERVAL_MS', { GATER_RETENTION_INTERVAL_MS: '0' }],
    ['GATER_RETENTION_BUSY_PAUSE_MS', { GATER_RETENTION_BUSY_PAUSE_MS: '-1' }],
    ['GATER_RETENTION_BATCH_EVENTS', { GATER_RETENTION_BATCH_EVENTS: '0' }],
    ['GATER_RETENTION_BATCH_STREAMS', { GATER_RETENTION_BATCH_STREAMS: 'all' }],
    ['GATER_CORS_ORIGINS', { GATER_CORS_ORIGINS: '*' }],
    ['GATER_CORS_ORIGINS', { GATER_CORS_ORIGINS: 'app.example.com' }],
    ['GATER_CORS_ORIGINS', { GATER_CORS_ORIGINS: 'https://app.example.com/login' }],
    ['GATER_CORS_ORIGINS', { GATER_CORS_ORIGINS: 'https://app.example.com?x=1' }],
    ['GATER_CORS_ORIGINS', { GATER_CORS_ORIGINS: 'https://user@app.example.com' }],
    ['GATER_CORS_ORIGINS', { GATER_CORS_ORIGINS: 'ftp://app.example.com' }],
    ['GATER_CORS_ORIGINS', { GATER_CORS_ORIGINS: 'https://app.example.com,http://localhost:99999' }],
    ['EX_ESDB_CLUSTER_SECRET', { EX_ESDB_CLUSTER_SECRET: 'fifteen-bytes!!' }],
    ['EX_ESDB_COOKIE', { EX_ESDB_COOKIE: 'cookie' }],
    ['RELEASE_COOKIE', { RELEASE_COOKIE: 'cookie' }],
  ];

  it.each(cases)('%s in %j', (variable, env) => {
    const error = configError(env);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe('ConfigError');
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
    // The offending value (or the duplicate) is named too, so the line says what is wrong.
    expect(error.message.length).toBeGreaterThan(variable.length + 10);
  });

  it('quotes the offending value', () => {
    expect(configError({ PORT: 'http' }).message).toContain('"http"');
    expect(configError({ GATER_STORES: 'ok,Bad' }).message).toContain('"Bad"');
    expect(configError({ GATER_NODES: 'mysql://host/db' }).message).toContain('mysql://host/db');
  });

  it('masks the password of a bad node URL', () => {
    const envs: Record<string, string>[] = [
      { GATER_NODES: 'postgres://gater:s3cret@db-host:70000/events' },
      { GATER_NODES: 'mysql://gater:s3cret@db-host/events' },
      { GATER_NODES: 'postgres://gater:s3cret@db-host:0/events' },
      { DATABASE_URL: 'gater:s3cret@db-host:5432/events' },
    ];
    for (const env of envs) {
      const message = configError(env).message;
      expect(message).not.toContain('s3cret');
      expect(message).toContain('gater:***@db-host');
    }
  });
});

describe('the cluster secret', () => {
  it('is refused below 16 bytes, in a line naming the variable and the minimum but not the secret', () => {
    const message = configError({ EX_ESDB_COOKIE: 'monster' }).message;
    expect(message).toMatch(/^EX_ESDB_COOKIE: .*at least 16 bytes/);
    expect(message).not.toContain('monster');
  });

  it('is counted in bytes: 8 two-byte characters are enough', () => {
    expect(loadConfig({ EX_ESDB_CLUSTER_SECRET: 'é'.repeat(8) }).clusterSecret).toBe('é'.repeat(8));
    expect(configError({ EX_ESDB_CLUSTER_SECRET: 'é'.repeat(7) }).message).toMatch(/^EX_ESDB_CLUSTER_SECRET: /);
  });

  it('is checked in the variable that is used: a long secret hides a short cookie', () => {
    expect(loadConfig({ EX_ESDB_CLUSTER_SECRET: 'a-long-random-secret', RELEASE_COOKIE: 'short' }).clusterSecret).toBe('a-long-random-secret');
  });
});
