import path from 'node:path';
import { loadAccessConfig, type AccessConfig } from './access-config.js';
import { ConfigError } from './config-error.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { maskUrl } from './masked-url.js';
import { checkTrustedDocumentsKeys, loadPersistedDocumentsConfig, type PersistedDocumentsConfig } from './persisted-documents-config.js';
import { loadRetentionConfig, type RetentionConfig } from './retention-config.js';

/** Size and count limits that protect the store from oversized requests. */
export interface Limits {
  /** Largest `data` or `metadata` of one event, in bytes of JSON. Default 1 MiB (`GATER_MAX_EVENT_BYTES`). */
  maxEventBytes: number;
  /** Most events in one append. Default 1,000 (`GATER_MAX_APPEND_EVENTS`). */
  maxEventsPerAppend: number;
  /** Largest page a connection returns; `first` defaults to 100. */
  maxPageSize: number;
  defaultPageSize: number;
  /** Most aliases in one operation. Default 30 (`GATER_MAX_ALIASES`). */
  maxAliases: number;
  /** Deepest selection of one operation. Default 15 (`GATER_MAX_DEPTH`). */
  maxDepth: number;
  /** Most times one field (response name) may be selected in one selection set, inline fragments included. Default 50 (`GATER_MAX_FIELD_REPEATS`). */
  maxFieldRepeats: number;
  /** Most tokens in one document. Default 10,000 (`GATER_MAX_TOKENS`). */
  maxTokens: number;
  /** Most items the connections of one operation may ask for (their `first`, 100 when absent). Default 10,000 (`GATER_MAX_PAGE_ITEMS`). */
  maxPageItems: number;
  /** Most events all the appends of one request may write. Default 10,000 (`GATER_MAX_REQUEST_EVENTS`). */
  maxRequestEvents: number;
  /** Most bytes of event data and metadata (JSON) all the appends of one request may write. Default 16 MiB (`GATER_MAX_REQUEST_EVENT_BYTES`). */
  maxRequestEventBytes: number;
  /** Largest HTTP request body. Default 16 MiB (`GATER_MAX_BODY_BYTES`). */
  maxBodyBytes: number;
  /**
   * Most bytes the HTTP bodies and WebSocket messages being received may hold
   * together, counted as they arrive. Default 256 MiB, or the larger of
   * `maxBodyBytes` and `maxWsMessageBytes` when larger
   * (`GATER_MAX_REQUEST_BYTES_IN_FLIGHT`); at least those two.
   */
  maxRequestBytesInFlight: number;
  /** Largest WebSocket message; a larger one closes the socket with 1009. Default 16 MiB (`GATER_MAX_WS_MESSAGE_BYTES`). */
  maxWsMessageBytes: number;
  /** Deepest nesting of a JSON argument (`data`, `metadata`, `pattern`, `payload`). Default 64 (`GATER_MAX_JSON_DEPTH`). */
  maxJsonDepth: number;
}

/** How the cluster watches its nodes. */
export interface HealthSettings {
  /** Time between probes of each node. Default 1000 ms (`GATER_PROBE_INTERVAL_MS`). */
  probeIntervalMs: number;
  /** A probe answering later fails; also bounds each new connection. Default 1000 ms (`GATER_PROBE_TIMEOUT_MS`). */
  probeTimeoutMs: number;
  /** Failed probes in a row that make a node DOWN. Default 3 (`GATER_DOWN_AFTER_FAILURES`). */
  downAfterFailures: number;
  /** Replicas lagging more serve no reads. Default 5000 ms (`GATER_MAX_REPLICA_LAG_MS`). */
  maxReplicaLagMs: number;
}

/** How long the gateway waits for the database, and for itself to stop. */
export interface Timeouts {
  /** Longest a read statement may run (PostgreSQL's statement_timeout on the read pools). Default 30,000 ms (`GATER_READ_TIMEOUT_MS`). */
  readMs: number;
  /** Longest a write waits for its answer; past it the answer is WRITE_OUTCOME_UNKNOWN. Default 10,000 ms (`GATER_WRITE_TIMEOUT_MS`). */
  writeMs: number;
  /** Longest a stop waits for the requests under way to finish. Default 10,000 ms (`GATER_SHUTDOWN_TIMEOUT_MS`). */
  shutdownMs: number;
}

/** What subscriptions may hold in memory, and how many may run. */
export interface SubscriptionBounds {
  /** Bytes of event JSON held per live subscriber before it falls back to reading the database. Default 8 MiB (`GATER_SUBSCRIBER_BUFFER_BYTES`). */
  subscriberBufferBytes: number;
  /** Bytes of event JSON all live subscribers hold together; past it, each reads history one event at a time. Default 256 MiB (`GATER_SUBSCRIBER_BUFFER_TOTAL_BYTES`). */
  subscriberBufferTotalBytes: number;
  /** Bytes of results kept to share between subscribers of the same document. Default 64 MiB (`GATER_SHARED_RESULTS_BYTES`). */
  sharedResultsBytes: number;
  /** Bytes a WebSocket may have waiting to be sent before its subscriptions wait for it to drain. Default 16 MiB (`GATER_SLOW_CONSUMER_BYTES`). */
  slowConsumerBytes: number;
  /** How long a subscription waits for its socket to drain before it ends with SLOW_CONSUMER. Default 30,000 ms (`GATER_SLOW_CONSUMER_TIMEOUT_MS`). */
  slowConsumerTimeoutMs: number;
  /** Subscriptions one client (credential, else address) may run at once, over graphql-ws and SSE. Default 10,000 (`GATER_MAX_SUBSCRIPTIONS_PER_CLIENT`). */
  maxPerClient: number;
  /** Subscriptions this gateway runs at once. Default 100,000 (`GATER_MAX_SUBSCRIPTIONS`). */
  maxPerGateway: number;
}

/** A gateway's gossip address. */
export interface GossipSeed {
  host: string;
  port: number;
}

export interface Config {
  /** Interface to bind. Default `127.0.0.1` (`HOST`). */
  host: string;
  /** TCP port. Default 4000 (`PORT`); 0 picks a free one. */
  port: number;
  /** Where the embedded node keeps its data. Default `./data` (`GATER_DATA_DIR`). */
  dataDir: string;
  /** PostgreSQL URLs, one per node (`GATER_NODES`, else `DATABASE_URL`); empty means start the embedded node. */
  nodes: string[];
  /** Store ids; the first is the default store (`GATER_STORES`, else `EX_ESDB_STORE_ID`, else `default`). */
  stores: string[];
  /**
   * Shared secret for gossip and cluster authentication (`EX_ESDB_CLUSTER_SECRET`, else `EX_ESDB_COOKIE`, else `RELEASE_COOKIE`);
   * at least 16 bytes. Default none: gossip is off.
   */
  clusterSecret: string | undefined;
  /** Gossip UDP port. Default 45892 (`EX_ESDB_CLUSTER_PORT`). */
  clusterPort: number;
  /** Gossip multicast group. Default 239.255.0.1 (`EX_ESDB_GOSSIP_MULTICAST_ADDR`). */
  gossipMulticastAddr: string;
  /** Gateways to gossip with instead of multicast (`GATER_GOSSIP_SEEDS`, comma-separated host:port). Default none: multicast. */
  gossipSeeds: GossipSeed[];
  health: HealthSettings;
  timeouts: Timeouts;
  limits: Limits;
  /** Most operations one WebSocket connection may run at once. Default 100 (`GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION`). */
  maxSubscriptionsPerConnection: number;
  /** Events held per live subscriber before it falls back to reading the database. Default 1024 (`GATER_SUBSCRIBER_BUFFER`). */
  subscriberBuffer: number;
  subscriptionBounds: SubscriptionBounds;
  /** Origins (`scheme://host[:port]`) whose pages may call the gateway from a browser: CORS and the WebSocket Origin check (`GATER_CORS_ORIGINS`, comma-separated). Default none. */
  corsOrigins: string[];
  /** Credentials, roles, and what anonymous requests may do. */
  access: AccessConfig;
  /** Automatic persisted queries and trusted documents. */
  persistedDocuments: PersistedDocumentsConfig;
  /** The background erasure of what stream metadata hides. */
  retention: RetentionConfig;
  /** Least severe log lines written: trace, debug, info, warn, error, fatal or silent. Default `info` (`GATER_LOG_LEVEL`). */
  logLevel: LogLevel;
}

export { ConfigError };

type Env = Record<string, string | undefined>;

const STORE_ID = /^[a-z][a-z0-9_]{0,39}$/;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

function nodeUrls(env: Env): string[] {
  const variable = text(env, 'GATER_NODES') !== undefined ? 'GATER_NODES' : 'DATABASE_URL';
  const urls = list(text(env, variable));
  for (const url of urls) {
    const shown = maskUrl(url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(variable, `"${shown}" is not a URL (or its port is not between 1 and 65535)`);
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      throw new ConfigError(variable, `"${shown}" must start with postgres://`);
    }
    if (!parsed.hostname) throw new ConfigError(variable, `"${shown}" names no host`);
    if (parsed.port === '0') throw new ConfigError(variable, `"${shown}" has port 0; a port is between 1 and 65535`);
  }
  const nodeIds = urls.map((url) => {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  });
  const twice = nodeIds.find((id, index) => nodeIds.indexOf(id) !== index);
  if (twice) throw new ConfigError(variable, `lists the node ${twice} twice`);
  return urls;
}

function gossipSeeds(env: Env): GossipSeed[] {
  const name = 'GATER_GOSSIP_SEEDS';
  return list(text(env, name)).map((seed) => {
    // Gossip runs over IPv4, so a host is a name or an IPv4 address.
    const match = /^([^:\s[\]]+):(\d+)$/.exec(seed);
    if (!match) throw new ConfigError(name, `"${seed}" is not host:port (a host name or IPv4 address, then the gossip port)`);
    const port = Number(match[2]);
    if (port < 1 || port > 65535) throw new ConfigError(name, `"${seed}" has port ${port}; a port is between 1 and 65535`);
    return { host: match[1]!, port };
  });
}

function healthSettings(env: Env): HealthSettings {
  return {
    probeIntervalMs: integer(env, 'GATER_PROBE_INTERVAL_MS', 1_000, 1, 3_600_000),
    probeTimeoutMs: integer(env, 'GATER_PROBE_TIMEOUT_MS', 1_000, 1, 600_000),
    downAfterFailures: integer(env, 'GATER_DOWN_AFTER_FAILURES', 3, 1, 1_000),
    maxReplicaLagMs: integer(env, 'GATER_MAX_REPLICA_LAG_MS', 5_000, 0, 86_400_000),
  };
}

const MIB = 1024 * 1024;

/** What one operation and one request may cost; past one, the answer is LIMIT_EXCEEDED. */
function budgets(env: Env) {
  const maxBodyBytes = integer(env, 'GATER_MAX_BODY_BYTES', 16 * MIB, 1024, 1024 * MIB);
  const maxWsMessageBytes = integer(env, 'GATER_MAX_WS_MESSAGE_BYTES', 16 * MIB, 1024, 1024 * MIB);
  return {
    maxAliases: integer(env, 'GATER_MAX_ALIASES', 30, 0, 100_000),
    maxDepth: integer(env, 'GATER_MAX_DEPTH', 15, 1, 1_000),
    maxFieldRepeats: integer(env, 'GATER_MAX_FIELD_REPEATS', 50, 1, 100_000),
    maxTokens: integer(env, 'GATER_MAX_TOKENS', 10_000, 10, 10_000_000),
    maxPageItems: integer(env, 'GATER_MAX_PAGE_ITEMS', 10_000, 1, 100_000_000),
    maxRequestEvents: integer(env, 'GATER_MAX_REQUEST_EVENTS', 10_000, 1, 100_000_000),
    maxRequestEventBytes: integer(env, 'GATER_MAX_REQUEST_EVENT_BYTES', 16 * MIB, 1, 4096 * MIB),
    maxBodyBytes,
    maxWsMessageBytes,
    // At least the largest body or message allowed, however large those were set.
    maxRequestBytesInFlight: integer(env, 'GATER_MAX_REQUEST_BYTES_IN_FLIGHT', Math.max(256 * MIB, maxBodyBytes, maxWsMessageBytes), 1024, 16 * 1024 * MIB),
    maxJsonDepth: integer(env, 'GATER_MAX_JSON_DEPTH', 64, 1, 1_000),
  };
}

function subscriptionBounds(env: Env): SubscriptionBounds {
  return {
    subscriberBufferBytes: integer(env, 'GATER_SUBSCRIBER_BUFFER_BYTES', 8 * MIB, 1024, 1024 * MIB),
    subscriberBufferTotalBytes: integer(env, 'GATER_SUBSCRIBER_BUFFER_TOTAL_BYTES', 256 * MIB, 1024, 64 * 1024 * MIB),
    sharedResultsBytes: integer(env, 'GATER_SHARED_RESULTS_BYTES', 64 * MIB, 0, 16 * 1024 * MIB),
    slowConsumerBytes: integer(env, 'GATER_SLOW_CONSUMER_BYTES', 16 * MIB, 1024, 1024 * MIB),
    slowConsumerTimeoutMs: integer(env, 'GATER_SLOW_CONSUMER_TIMEOUT_MS', 30_000, 1, 3_600_000),
    maxPerClient: integer(env, 'GATER_MAX_SUBSCRIPTIONS_PER_CLIENT', 10_000, 1, 10_000_000),
    maxPerGateway: integer(env, 'GATER_MAX_SUBSCRIPTIONS', 100_000, 1, 10_000_000),
  };
}

function storeIds(env: Env): string[] {
  const variable = text(env, 'GATER_STORES') !== undefined ? 'GATER_STORES' : 'EX_ESDB_STORE_ID';
  const ids = list(text(env, variable) ?? 'default');
  for (const id of ids) {
    if (!STORE_ID.test(id)) {
      throw new ConfigError(variable, `store id "${id}" must be 1-40 lowercase letters, digits or _, starting with a letter`);
    }
  }
  if (new Set(ids).size !== ids.length) throw new ConfigError(variable, 'lists a store twice');
  return ids;
}

/** A shorter secret (a word, a default) falls to offline guessing against one captured gossip packet. */
export const MIN_CLUSTER_SECRET_BYTES = 16;

function clusterSecret(env: Env): string | undefined {
  for (const name of ['EX_ESDB_CLUSTER_SECRET', 'EX_ESDB_COOKIE', 'RELEASE_COOKIE']) {
    const value = text(env, name);
    if (value === undefined) continue;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes < MIN_CLUSTER_SECRET_BYTES) {
      throw new ConfigError(name, `must be at least ${MIN_CLUSTER_SECRET_BYTES} bytes long, got ${bytes}; use a long random value (openssl rand -hex 32)`);
    }
    return value;
  }
  return undefined;
}

function multicastAddress(env: Env): string {
  const name = 'EX_ESDB_GOSSIP_MULTICAST_ADDR';
  const value = text(env, name) ?? '239.255.0.1';
  const parts = value.split('.');
  const valid = parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
  if (!valid) throw new ConfigError(name, `"${value}" is not an IPv4 address`);
  const first = Number(parts[0]);
  if (first < 224 || first > 239) throw new ConfigError(name, `"${value}" is not a multicast address (224.0.0.0 to 239.255.255.255)`);
  return value;
}

function corsOrigins(env: Env): string[] {
  const name = 'GATER_CORS_ORIGINS';
  const origins = list(text(env, name)).map((value) => {
    if (value === '*') throw new ConfigError(name, '"*" is not accepted: list the origins your front ends are served from');
    const url = URL.canParse(value) ? new URL(value) : undefined;
    const isOrigin =
      url !== undefined &&
      /^https?:\/\/[^/?#@]+\/?$/i.test(value) &&
      (url.protocol === 'http:' || url.protocol === 'https:');
    if (!isOrigin) throw new ConfigError(name, `"${value}" is not an origin: scheme://host[:port], like https://app.example.com`);
    // As browsers send it: lowercase host, no default port, no trailing slash.
    return url.origin;
  });
  return [...new Set(origins)];
}

function logLevel(env: Env): LogLevel {
  const name = 'GATER_LOG_LEVEL';
  const value = text(env, name)?.toLowerCase() ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new ConfigError(name, `expected one of ${LOG_LEVELS.join(', ')}, got "${text(env, name)}"`);
  return value as LogLevel;
}

/** Reads the whole configuration from the environment once; throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const host = text(env, 'HOST') ?? '127.0.0.1';
  const config: Config = {
    host,
    port: integer(env, 'PORT', 4000, 0, 65535),
    dataDir: path.resolve(text(env, 'GATER_DATA_DIR') ?? './data'),
    nodes: nodeUrls(env),
    stores: storeIds(env),
    clusterSecret: clusterSecret(env),
    clusterPort: integer(env, 'EX_ESDB_CLUSTER_PORT', 45892, 1, 65535),
    gossipMulticastAddr: multicastAddress(env),
    gossipSeeds: gossipSeeds(env),
    health: healthSettings(env),
    timeouts: {
      readMs: integer(env, 'GATER_READ_TIMEOUT_MS', 30_000, 100, 3_600_000),
      writeMs: integer(env, 'GATER_WRITE_TIMEOUT_MS', 10_000, 100, 600_000),
      shutdownMs: integer(env, 'GATER_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    },
    maxSubscriptionsPerConnection: integer(env, 'GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION', 100, 1, 100_000),
    subscriberBuffer: integer(env, 'GATER_SUBSCRIBER_BUFFER', 1024, 2, 1_000_000),
    subscriptionBounds: subscriptionBounds(env),
    corsOrigins: corsOrigins(env),
    limits: {
      maxEventBytes: integer(env, 'GATER_MAX_EVENT_BYTES', 1024 * 1024, 1, 256 * 1024 * 1024),
      maxEventsPerAppend: integer(env, 'GATER_MAX_APPEND_EVENTS', 1000, 1, 100_000),
      maxPageSize: 1000,
      defaultPageSize: 100,
      ...budgets(env),
    },
    access: loadAccessConfig(env, host),
    persistedDocuments: loadPersistedDocumentsConfig(env, integer),
    retention: loadRetentionConfig(env, integer),
    logLevel: logLevel(env),
  };
  checkTrustedDocumentsKeys(config.access, config.persistedDocuments);
  const { maxBodyBytes, maxWsMessageBytes, maxRequestBytesInFlight } = config.limits;
  if (maxRequestBytesInFlight < Math.max(maxBodyBytes, maxWsMessageBytes)) {
    throw new ConfigError(
      'GATER_MAX_REQUEST_BYTES_IN_FLIGHT',
      `must be at least GATER_MAX_BODY_BYTES (${maxBodyBytes}) and GATER_MAX_WS_MESSAGE_BYTES (${maxWsMessageBytes}), or no body or message of that size could be taken; got ${maxRequestBytesInFlight}`,
    );
  }
  return config;
}
