import type { RecordedEvent } from '../../src/store/types.js';

/** An event as a read returns it, at a global position; version and stream default to a single stream "s". */
export function recordedEvent(position: number, fields: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    id: `e${position}`,
    storeId: 'default',
    streamId: 's',
    version: position,
    position,
    type: 'T',
    data: {},
    metadata: null,
    contentType: 'application/json',
    createdEpoch: 0,
    ...fields,
  };
}

export const positionsOf = (events: readonly RecordedEvent[]) => events.map((event) => event.position);
