import pg from 'pg';
import { CREATED_EPOCH_COLUMN } from './created-epoch.js';
import { StoredJson } from './stored-json.js';
import type { Page, RecordedEvent } from './types.js';

/**
 * The columns every event read selects, in the shape `toRecordedEvent` maps.
 * Payloads come as their JSON text, not parsed by pg: a StoredEvent parses
 * them only when they are read, and their length is its size.
 */
export const EVENT_COLUMNS = `event_id, stream_id, version, position, type, data::text AS data, metadata::text AS metadata, content_type, ${CREATED_EPOCH_COLUMN}`;

/** PostgreSQL's type id of bigint. */
const INT8 = 20;
const asText = (value: string) => value;

/**
 * How event rows are parsed, for the reads that fetch many: a bigint stays the
 * text it came as (`StoredEvent` reads it with `Number`), as node-postgres
 * leaves it, without its test of every digit against a regular expression.
 */
export const EVENT_ROW_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? asText : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export interface EventRow {
  event_id: string;
  stream_id: string;
  version: number;
  position: string | number;
  type: string;
  data: string;
  metadata: string;
  content_type: string;
  created_epoch: string | number;
  /** Payload bytes up to and including this row's, on pages cut by size (`pageQuery` with `maxBytes`). */
  bytes_through?: string | number;
}

/** Not parsed yet. */
const UNPARSED: unique symbol = Symbol('unparsed');

/**
 * Payloads longer than this are answered from their parsed value: a text
 * this short nests at most half as deep, which JSON.stringify serialises, so
 * an event nested too deep for it fails where it failed before.
 */
const SPLICED_AT_MOST = 4096;

/**
 * An event as read from the database. Its payloads are kept as the JSON text
 * they came as, and parsed when first read: a catch-up sends a million events
 * whose payloads nothing reads, spliced into their answers as text
 * (`payloadOf`). It knows their length, kept private so that an event read
 * back equals the one appended, whose JSON the database may have spelt
 * differently. A class rather than a literal with hidden properties: a
 * catch-up makes a million of them, and defining a property on each cost
 * more than making it.
 */
export class StoredEvent implements RecordedEvent {
  readonly id: string;
  readonly storeId: string;
  readonly streamId: string;
  readonly version: number;
  readonly position: number;
  readonly type: string;
  readonly contentType: string;
  readonly createdEpoch: number;
  readonly #dataText: string;
  readonly #metadataText: string;
  #data: unknown = UNPARSED;
  #metadata: unknown = UNPARSED;

  constructor(row: EventRow, storeId: string) {
    this.id = row.event_id;
    this.storeId = storeId;
    this.streamId = row.stream_id;
    this.version = row.version;
    this.position = Number(row.position);
    this.type = row.type;
    this.contentType = row.content_type;
    this.createdEpoch = Number(row.created_epoch);
    this.#dataText = row.data;
    this.#metadataText = row.metadata;
  }

  get data(): unknown {
    if (this.#data === UNPARSED) this.#data = JSON.parse(this.#dataText);
    return this.#data;
  }

  get metadata(): unknown {
    if (this.#metadata === UNPARSED) this.#metadata = JSON.parse(this.#metadataText);
    return this.#metadata;
  }

  /** Characters of JSON in `event`'s payloads, if it was read from the database. */
  static jsonSizeOf(event: RecordedEvent): number | undefined {
    return #dataText in event ? event.#dataText.length + event.#metadataText.length : undefined;
  }

  /** `event`'s data or metadata to answer: its stored text, if it was read from the database and is short, else its value. */
  static payloadOf(event: RecordedEvent, field: 'data' | 'metadata'): unknown {
    if (!(#dataText in event)) return event[field];
    const text = field === 'data' ? event.#dataText : event.#metadataText;
    if (text.length > SPLICED_AT_MOST) return event[field];
    return new StoredJson(text, event as unknown as Record<string, unknown>, field);
  }
}

export function toRecordedEvent(row: EventRow, storeId: string): RecordedEvent {
  return new StoredEvent(row, storeId);
}

/** An event's payloads as stored: read without detoasting or printing them, so a page is cut before any is sent. */
const STORED_BYTES = 'pg_column_size(data) + pg_column_size(metadata)';

/**
 * `SELECT <events> <source> ORDER BY <order> LIMIT <limit>`; with `maxBytes`,
 * cut short once the payloads read so far (as stored) reach it, so a page of
 * large events never arrives whole. The first event always comes.
 */
export function pageQuery(source: string, order: string, limit: string, maxBytes?: string): string {
  if (maxBytes === undefined) return `SELECT ${EVENT_COLUMNS} ${source} ORDER BY ${order} LIMIT ${limit}`;
  return `SELECT ${EVENT_COLUMNS}, bytes_before + stored_bytes AS bytes_through
     FROM (
       SELECT *, coalesce(sum(stored_bytes) OVER (ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS bytes_before
       FROM (SELECT *, ${STORED_BYTES} AS stored_bytes ${source} ORDER BY ${order} LIMIT ${limit}) page
     ) sized
     WHERE bytes_before < ${maxBytes}
     ORDER BY ${order}`;
}

/** The page of rows read `limit + 1` at most: more follow past the limit, or past the size it was cut at. */
export function toPage(rows: readonly EventRow[], limit: number, storeId: string, maxBytes?: number): Page<RecordedEvent> {
  const last = rows[rows.length - 1];
  const cut = maxBytes !== undefined && last !== undefined && Number(last.bytes_through) >= maxBytes;
  return { items: rows.slice(0, limit).map((row) => toRecordedEvent(row, storeId)), hasMore: rows.length > limit || cut };
}
