/** A character that makes an array element need escaping: a quote or a backslash. */
const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * A PostgreSQL array literal (`{"a","b"}`) of strings or numbers, none of them
 * null, to pass as a `text[]`, `uuid[]` or `int[]` parameter. node-postgres
 * makes the same literal from a JavaScript array, but runs a replace on every
 * element: a batch of a thousand events spent more on that than on its payloads.
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    const value = values[index]!;
    if (typeof value === 'number') literal += String(value);
    else literal += NEEDS_ESCAPE.test(value) ? `"${value.replace(ESCAPED, '\\$&')}"` : `"${value}"`;
  }
  return `${literal}}`;
}
