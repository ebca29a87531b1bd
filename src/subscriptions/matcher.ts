/** A compiled test of one JSON value against a pattern, built once per subscription. */
export type Matcher = (value: unknown) => boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** Under a pattern object, keys match as subsets; anywhere else (inside an array), values must be equal. */
const SUBSET = 0;
const EQUAL = 1;

/**
 * What is left to compare, as triples (mode, pattern, value). Kept outside
 * the matcher so that matching allocates nothing per event once the array has
 * grown; a match runs to its end before another starts (nothing here awaits).
 */
const pending: unknown[] = [];

function mismatch(): false {
  pending.length = 0;
  return false;
}

/**
 * Walks pattern and value with a stack of its own rather than the call
 * stack: a pattern or an event nested thousands deep cannot overflow it.
 */
function subsetMatches(pattern: unknown, value: unknown): boolean {
  pending.length = 0;
  pending.push(SUBSET, pattern, value);
  while (pending.length > 0) {
    const b = pending.pop();
    const a = pending.pop();
    const mode = pending.pop();
    if (a === b) continue;
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return mismatch();
      for (let index = 0; index < a.length; index++) pending.push(EQUAL, a[index], b[index]);
      continue;
    }
    if (!isPlainObject(a) || !isPlainObject(b)) return mismatch();
    if (mode === EQUAL && Object.keys(a).length !== Object.keys(b).length) return mismatch();
    for (const key in a) {
      if (!hasOwn(b, key)) return mismatch();
      pending.push(mode, a[key], b[key]);
    }
  }
  return true;
}

/**
 * Deep subset: an object pattern matches an object whose every key named by
 * the pattern matches; any other pattern value (array, string, number,
 * boolean, null) matches an equal value.
 */
export function compileSubsetMatcher(pattern: unknown): Matcher {
  return (value) => subsetMatches(pattern, value);
}
