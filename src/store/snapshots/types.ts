/** What names one snapshot. */
export interface SnapshotKey {
  sourceUuid: string;
  streamUuid: string;
  version: number;
}

/** A snapshot asked for by key; a null version asks for the highest. */
export interface SnapshotQuery {
  sourceUuid: string;
  streamUuid: string;
  version: number | null;
}

export interface NewSnapshot extends SnapshotKey {
  sourceType: string | null;
  /** `data` and `metadata` serialised once, when their size was checked. */
  dataJson: string;
  metadataJson: string;
}

/** A snapshot as stored: what every read returns. */
export interface RecordedSnapshot extends SnapshotKey {
  /** The store it is in: the same key may name a snapshot in every store. */
  storeId: string;
  sourceType: string | null;
  data: unknown;
  metadata: unknown;
  /** Microseconds since the Unix epoch of its last recording. */
  createdEpoch: number;
}
