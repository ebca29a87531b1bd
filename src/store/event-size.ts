import { StoredEvent } from './event-row.js';
import type { RecordedEvent } from './types.js';

const JSON_SIZE = Symbol('jsonSize');

type Sized = RecordedEvent & { [JSON_SIZE]?: number };

/**
 * Characters of JSON in the event's data and metadata: what holding it costs,
 * near enough. Known for every event read from the database; for one made
 * otherwise (an append's answer, a test), measured once on first ask and
 * kept out of sight (not enumerable), as a StoredEvent keeps its own.
 */
export function jsonSizeOf(event: RecordedEvent): number {
  const known = StoredEvent.jsonSizeOf(event) ?? (event as Sized)[JSON_SIZE];
  if (known !== undefined) return known;
  const size = (JSON.stringify(event.data) ?? '').length + (JSON.stringify(event.metadata) ?? '').length;
  Object.defineProperty(event, JSON_SIZE, { value: size, writable: true });
  return size;
}
