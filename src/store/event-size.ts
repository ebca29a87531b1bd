import type { RecordedEvent } from './types.js';

const JSON_SIZE = Symbol('jsonSize');

type Sized = RecordedEvent & { [JSON_SIZE]?: number };

/**
 * Records the size of an event's payloads as JSON text. It is kept out of
 * sight (not enumerable) so that an event read back equals the one appended,
 * whose JSON the database may have spelt differently.
 */
export function withJsonSize(event: RecordedEvent, size: number): RecordedEvent {
  Object.defineProperty(event, JSON_SIZE, { value: size, writable: true });
  return event;
}

/**
 * Characters of JSON in the event's data and metadata: what holding it costs,
 * near enough. Known for every event read from the database; for one made
 * otherwise (an append's answer, a test), measured once on first ask.
 */
export function jsonSizeOf(event: RecordedEvent): number {
  const known = (event as Sized)[JSON_SIZE];
  if (known !== undefined) return known;
  const size = (JSON.stringify(event.data) ?? '').length + (JSON.stringify(event.metadata) ?? '').length;
  withJsonSize(event, size);
  return size;
}
