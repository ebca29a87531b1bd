/** A compiled test of one JSON value against a pattern, built once per subscription. */
export type Matcher = (value: unknown) => boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * Deep subset: an object pattern matches an object whose every key named by
 * the pattern matches; any other pattern value (array, string, number,
 * boolean, null) matches an equal value.
 */
export function compileSubsetMatcher(pattern: unknown): Matcher {
  if (!isPlainObject(pattern)) return (value) => deepEqual(pattern, value);
  const fields = Object.entries(pattern).map(([key, sub]) => [key, compileSubsetMatcher(sub)] as const);
  return (value) => isPlainObject(value) && fields.every(([key, matches]) => key in value && matches(value[key]));
}
