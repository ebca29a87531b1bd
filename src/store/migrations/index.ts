import type { StoreTables } from '../tables.js';
import { eventLog } from './001-event-log.js';
import { snapshots } from './002-snapshots.js';
import { persistentSubscriptions } from './003-persistent-subscriptions.js';
import { appendWithoutScans } from './004-append-without-scans.js';
import { appendJsonPayloads } from './005-append-json-payloads.js';
import { consumerAckKeys } from './006-consumer-ack-keys.js';
import { streamLifecycle } from './007-stream-lifecycle.js';
import { streamMetadata } from './008-stream-metadata.js';
import { appendCheckedByItsWrites } from './009-append-checked-by-its-writes.js';
import { leasesWithoutKeyChecks } from './010-leases-without-key-checks.js';
import { appendRebasingStreams } from './011-append-rebasing-streams.js';
import { appendInFewerStatements } from './012-append-in-fewer-statements.js';
import { appendConditionsSeeWhatReadsSee } from './013-append-conditions-see-what-reads-see.js';

export interface Migration {
  version: number;
  name: string;
  sql: (tables: StoreTables) => string;
}

/** Applied in order, each once per store; append new ones, never edit a released one. */
export const migrations: Migration[] = [
  { version: 1, name: 'event log', sql: eventLog },
  { version: 2, name: 'snapshots', sql: snapshots },
  { version: 3, name: 'persistent subscriptions', sql: persistentSubscriptions },
  { version: 4, name: 'append without table scans', sql: appendWithoutScans },
  { version: 5, name: 'append with JSON payload documents', sql: appendJsonPayloads },
  { version: 6, name: 'acks bound to their consumer', sql: consumerAckKeys },
  { version: 7, name: 'stream deletion, multi-stream and conditional appends', sql: streamLifecycle },
  { version: 8, name: 'stream metadata and retention', sql: streamMetadata },
  { version: 9, name: 'append checked by its own writes', sql: appendCheckedByItsWrites },
  { version: 10, name: 'leases without foreign key checks', sql: leasesWithoutKeyChecks },
  { version: 11, name: 'append moving unexpected streams on', sql: appendRebasingStreams },
  { version: 12, name: 'append in fewer statements', sql: appendInFewerStatements },
  { version: 13, name: 'append conditions seeing what reads see', sql: appendConditionsSeeWhatReadsSee },
];
