import { badUserInput, limitExceeded, quoted } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NAME_LENGTH = 255;
/** Most event types one filter or condition names. */
export const MAX_FILTER_EVENT_TYPES = 100;

/** PostgreSQL text and jsonb hold neither U+0000 nor half of a UTF-16 surrogate pair. */
function checkNoNul(field: string, value: string): void {
  if (value.includes('\u0000')) throw badUserInput(field, 'must not contain the character U+0000');
  if (!value.isWellFormed()) throw badUserInput(field, 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)');
}

/**
 * Control characters, and the marks and overrides that reorder bidirectional text: in a name they make two
 * different ids look alike, or one look like another, wherever a person reads them (a dashboard, a log).
 */
const HIDDEN_CHARACTER = /[\u0001-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** A name holds no character a person reading it cannot see (`HIDDEN_CHARACTER`). */
function checkShown(field: string, value: string): void {
  const hidden = HIDDEN_CHARACTER.exec(value);
  if (hidden) {
    const code = hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw badUserInput(field, `must not contain control or bidirectional formatting characters (U+${code} at index ${hidden.index})`);
  }
}

/** Length in Unicode characters (code points), as users count them. */
export function characters(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

export function checkStreamId(field: string, streamId: string): string {
  checkNoNul(field, streamId);
  checkShown(field, streamId);
  if (streamId.length === 0) throw badUserInput(field, 'a stream id must not be empty');
  const length = characters(streamId);
  if (length > MAX_NAME_LENGTH) throw badUserInput(field, `a stream id is at most ${MAX_NAME_LENGTH} characters, got ${length}`);
  if (streamId.startsWith('$')) {
    throw badUserInput(field, `stream ids beginning with "$" are reserved (read every stream with the events query)`);
  }
  return streamId;
}

export function checkName(field: string, what: string, value: string): string {
  checkNoNul(field, value);
  checkShown(field, value);
  if (value.length === 0) throw badUserInput(field, `${what} must not be empty`);
  const length = characters(value);
  if (length > MAX_NAME_LENGTH) throw badUserInput(field, `${what} is at most ${MAX_NAME_LENGTH} characters, got ${length}`);
  return value;
}

export function checkUuid(field: string, value: string): string {
  if (!UUID.test(value)) throw badUserInput(field, `${quoted(value)} is not a UUID`);
  return value.toLowerCase();
}

/** A stream id prefix: what a stream id may hold, at most as long as one (a longer one matches nothing). */
export function checkStreamPrefix(field: string, prefix: string): string {
  checkNoNul(field, prefix);
  const length = characters(prefix);
  if (length > MAX_NAME_LENGTH) throw badUserInput(field, `a stream id prefix is at most ${MAX_NAME_LENGTH} characters, got ${length}`);
  return prefix;
}

/** The event types a filter or condition names: at most `MAX_FILTER_EVENT_TYPES`, each a valid name. */
export function checkEventTypes(field: string, types: readonly string[]): string[] {
  if (types.length > MAX_FILTER_EVENT_TYPES) throw badUserInput(field, `at most ${MAX_FILTER_EVENT_TYPES} event types, got ${types.length}`);
  return types.map((type, index) => checkName(`${field}[${index}]`, 'an event type', type));
}

export function checkNonNegative(field: string, value: number): number;
export function checkNonNegative(field: string, value: number | null | undefined): number | undefined;
export function checkNonNegative(field: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value < 0) throw badUserInput(field, `must be 0 or more, got ${value}`);
  return value;
}

export function checkPageSize(field: string, first: number | null | undefined, limits: { defaultPageSize: number; maxPageSize: number }): number {
  if (first === null || first === undefined) return limits.defaultPageSize;
  if (first < 1 || first > limits.maxPageSize) throw badUserInput(field, `must be between 1 and ${limits.maxPageSize}, got ${first}`);
  return first;
}

export function checkText(field: string, value: string): string {
  checkNoNul(field, value);
  return value;
}

/** JSON.stringify writes U+0000 as this escape when no backslash of the input precedes it. */
const ESCAPED_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/** JSON.stringify escapes a lone surrogate as \\udXXX, which jsonb refuses. */
const LONE_SURROGATE = /(?:^|[^\\])(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i;

/** Serialises a JSON value once and checks its size; the text is what gets stored. */
export function checkJsonSize(field: string, value: unknown, maxBytes: number): string {
  const json = JSON.stringify(value ?? null);
  // Both escapes start with a backslash; most payloads have none, and need no scan for them.
  if (json.includes('\\')) {
    if (LONE_SURROGATE.test(json)) throw badUserInput(field, 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)');
    if (ESCAPED_NUL.test(json)) throw badUserInput(field, 'must not contain the character U+0000 (PostgreSQL jsonb cannot store it)');
  }
  // A UTF-16 code unit is at most 3 bytes of UTF-8: a text that short is within the limit without counting.
  if (json.length * 3 <= maxBytes) return json;
  const bytes = Buffer.byteLength(json);
  if (bytes > maxBytes) throw badUserInput(field, `is ${bytes} bytes of JSON, more than the limit of ${maxBytes}`);
  return json;
}

/**
 * Refuses a JSON value whose arrays and objects nest deeper than `maxDepth`,
 * as a limit (`GATER_MAX_JSON_DEPTH`) that also names the field, and one
 * holding a number JSON cannot write (1e400 is read as Infinity, which would
 * be stored as null), as bad input. It recurses at most `maxDepth` + 1 levels
 * (the limit is at most 1,000), so no value can overflow the stack here;
 * past it, nothing recursive (serialisation, the matchers, jsonb) sees the value.
 */
export function checkJsonValue(field: string, value: unknown, maxDepth: number): void {
  const problem = typeof value === 'object' && value !== null ? problemWithin(value, 1, maxDepth) : problemOf(value);
  if (problem === 'too deep') {
    throw limitExceeded('GATER_MAX_JSON_DEPTH', `${field}: nests arrays and objects deeper than ${maxDepth} levels`, { field, maximum: maxDepth });
  }
  if (problem === 'not finite') throw badUserInput(field, 'holds a number too large for JSON (it would be stored as null)');
}

type JsonProblem = 'too deep' | 'not finite' | undefined;

function problemOf(leaf: unknown): JsonProblem {
  return typeof leaf === 'number' && !Number.isFinite(leaf) ? 'not finite' : undefined;
}

/** What is wrong with `container`, at `depth`, or with what it holds, if anything. */
function problemWithin(container: object, depth: number, maxDepth: number): JsonProblem {
  if (depth > maxDepth) return 'too deep';
  for (const child of Array.isArray(container) ? container : Object.values(container)) {
    const problem = typeof child === 'object' && child !== null ? problemWithin(child, depth + 1, maxDepth) : problemOf(child);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** A JSON argument checked for depth and numbers, then serialised once and checked for size; the text is what gets stored. */
export function checkJson(field: string, value: unknown, limits: { maxJsonDepth: number; maxEventBytes: number }): string {
  checkJsonValue(field, value, limits.maxJsonDepth);
  return checkJsonSize(field, value, limits.maxEventBytes);
}
