import { CREATED_EPOCH_COLUMN } from '../created-epoch.js';
import type { RecordedSnapshot } from './types.js';

/** The columns every snapshot read selects, in the shape `toRecordedSnapshot` maps. */
export const SNAPSHOT_COLUMNS = `source_uuid, stream_uuid, version, source_type, data, metadata, ${CREATED_EPOCH_COLUMN}`;

export interface SnapshotRow {
  source_uuid: string;
  stream_uuid: string;
  version: number;
  source_type: string | null;
  data: unknown;
  metadata: unknown;
  created_epoch: string | number;
}

export function toRecordedSnapshot(row: SnapshotRow, storeId: string): RecordedSnapshot {
  return {
    storeId,
    sourceUuid: row.source_uuid,
    streamUuid: row.stream_uuid,
    version: row.version,
    sourceType: row.source_type,
    data: row.data,
    metadata: row.metadata,
    createdEpoch: Number(row.created_epoch),
  };
}
