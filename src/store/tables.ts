import { escapeIdentifier } from 'pg';

/** Every SQL name of one store, quoted once here so that no statement builds names itself. */
export interface StoreTables {
  storeId: string;
  schema: string;
  events: string;
  streams: string;
  head: string;
  snapshots: string;
  /** The function that writes one planned append batch. */
  appendFunction: string;
  migrations: string;
  /** LISTEN/NOTIFY channel told of each committed append batch, as a value (pg_notify) and as an identifier (LISTEN). */
  channel: string;
  channelIdentifier: string;
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
    appendFunction: `${schema}.append_batch`,
    migrations: `${schema}.migrations`,
    channel: `${schemaName}_events`,
    channelIdentifier: escapeIdentifier(`${schemaName}_events`),
    lockKey: schemaName,
  };
}
