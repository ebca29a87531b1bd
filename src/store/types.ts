/** An event as stored: what every read returns. */
export interface RecordedEvent {
  id: string;
  /** The store it is in: an event id is unique only within its store. */
  storeId: string;
  streamId: string;
  version: number;
  position: number;
  type: string;
  data: unknown;
  metadata: unknown;
  contentType: string;
  /** Microseconds since the Unix epoch. */
  createdEpoch: number;
}

export interface NewEventData {
  id: string;
  /** True when the gateway made the id: it cannot be stored already, so no retry check is needed. */
  idGenerated: boolean;
  type: string;
  data: unknown;
  metadata: unknown;
  /** `data` and `metadata` serialised once, when their size was checked. */
  dataJson: string;
  metadataJson: string;
  contentType: string;
}

export type ExpectedVersion =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'exact'; version: number };

export interface AppendRequest {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEventData[];
}

export type AppendOutcome =
  | { ok: true; streamId: string; version: number; position: number; events: RecordedEvent[] }
  | { ok: false; reason: 'wrong_expected_version'; streamId: string; expected: string; actualVersion: number }
  | {
      ok: false;
      reason: 'duplicate_event_id';
      index: number;
      eventId: string;
      existingStreamId: string;
      existingVersion: number;
    };

export type Direction = 'forward' | 'backward';

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export interface StreamSummary {
  id: string;
  version: number;
}

export interface StoreStats {
  streamCount: number;
  eventCount: number;
  headPosition: number;
}
