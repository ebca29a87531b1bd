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

/** What an event looks like to an append condition's pattern: the fields `byEventPattern` matches. */
export interface PatternView {
  streamId: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

/**
 * An append happens only if no event matching all given parts was committed
 * after `after` (a dynamic consistency boundary).
 */
export interface AppendCondition {
  /** Exclusive; 0: any event at all. */
  after: number;
  eventTypes?: readonly string[];
  streamPrefix?: string;
  /** A deep-subset pattern over `{ streamId, type, data, metadata }`, as `byEventPattern` takes it. */
  pattern?: Record<string, unknown>;
  /**
   * The same test as the store's `pattern_matches`, for events planned earlier in the same batch.
   * Given by whoever compiled the pattern; required when `pattern` is.
   */
  matchesPattern?: (event: PatternView) => boolean;
}

/** One stream's part of an append. */
export interface StreamAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEventData[];
}

export interface AppendRequest extends StreamAppend {
  condition?: AppendCondition;
}

/** Appends to several streams, all or nothing. */
export interface MultiStreamAppendRequest {
  streams: StreamAppend[];
  condition?: AppendCondition;
}

export type AppendSuccess = Extract<AppendOutcome, { ok: true }>;

/** A failure that any kind of append may answer. */
export type AppendRefusal =
  | { ok: false; reason: 'stream_deleted'; streamId: string }
  | { ok: false; reason: 'condition_failed'; position: number };

export type MultiStreamAppendOutcome =
  | { ok: true; streams: AppendSuccess[]; position: number }
  | Exclude<AppendOutcome, { ok: true }>;

export type DeleteStreamOutcome =
  | { ok: true; streamId: string; erasedEvents: number }
  | Extract<AppendOutcome, { reason: 'wrong_expected_version' }>
  | Extract<AppendRefusal, { reason: 'stream_deleted' }>;

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
      /** For a multi-stream append: which of its streams holds the event. */
      streamIndex?: number;
    }
  | AppendRefusal;

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
