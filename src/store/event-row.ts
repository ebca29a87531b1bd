import { CREATED_EPOCH_COLUMN } from './created-epoch.js';
import type { RecordedEvent } from './types.js';

/** The columns every event read selects, in the shape `toRecordedEvent` maps. */
export const EVENT_COLUMNS = `event_id, stream_id, version, position, type, data, metadata, content_type, ${CREATED_EPOCH_COLUMN}`;

export interface EventRow {
  event_id: string;
  stream_id: string;
  version: number;
  position: string | number;
  type: string;
  data: unknown;
  metadata: unknown;
  content_type: string;
  created_epoch: string | number;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    version: row.version,
    position: Number(row.position),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    contentType: row.content_type,
    createdEpoch: Number(row.created_epoch),
  };
}
