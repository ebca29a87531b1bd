import { escapeIdentifier } from 'pg';

/** Every SQL name of one store, quoted once here so that no statement builds names itself. */
export interface StoreTables {
  storeId: string;
  schema: string;
  events: string;
  streams: string;
  head: string;
  snapshots: string;
  /** Per-stream metadata: retention limits (maxCount, maxAgeSeconds, truncateBefore) and custom JSON. */
  streamMetadata: string;
  /** Persistent subscriptions: settings and read cursor, one row each. */
  subscriptions: string;
  /** Events of a persistent subscription delivered (or due for delivery) and not yet done: the leases. */
  inFlight: string;
  /** Events a persistent subscription gave up on, until replayed. */
  parked: string;
  /** Consumers connected to a persistent subscription, on any gateway. */
  consumers: string;
  /** The function that writes one planned append batch. */
  appendFunction: string;
  /** The function that erases a stream (migration 7). */
  deleteStreamFunction: string;
  /** The deep-subset match of event patterns, in SQL (migration 7). */
  patternMatches: string;
  migrations: string;
  /** LISTEN/NOTIFY channel told of each committed append batch, as a value (pg_notify) and as an identifier (LISTEN). */
  channel: string;
  channelIdentifier: string;
  /** LISTEN/NOTIFY channel told of persistent-subscription changes (acks of another gateway's leases, redeliveries due, removals). */
  persistentChannel: string;
  persistentChannelIdentifier: string;
  /** Key of the transaction-scoped advisory lock held while positions are assigned. */
  lockKey: string;
}

export function storeTables(storeId: string): StoreTables {
  const schemaName = `gater_${storeId}`;
  const schema = escapeIdentifier(schemaName);
  return {
    storeId,
    schema,
    events: `${schema}.events`,
    streams: `${schema}.streams`,
    head: `${schema}.head`,
    snapshots: `${schema}.snapshots`,
    streamMetadata: `${schema}.stream_metadata`,
    subscriptions: `${schema}.persistent_subscriptions`,
    inFlight: `${schema}.persistent_in_flight`,
    parked: `${schema}.persistent_parked`,
    consumers: `${schema}.persistent_consumers`,
    appendFunction: `${schema}.append_batch`,
    patternMatches: `${schema}.pattern_matches`,
    deleteStreamFunction: `${schema}.delete_stream`,
    migrations: `${schema}.migrations`,
    channel: `${schemaName}_events`,
    channelIdentifier: escapeIdentifier(`${schemaName}_events`),
    persistentChannel: `${schemaName}_persistent`,
    persistentChannelIdentifier: escapeIdentifier(`${schemaName}_persistent`),
    lockKey: schemaName,
  };
}
