/** Distinct header values a memo keeps at once, and the longest it keeps: a bound in entries and in bytes. */
const VALUES_KEPT = 64;
const LONGEST_VALUE_KEPT = 256;
/** The key of a header that is missing: no header value holds a line break. */
const MISSING = '\n';

/**
 * `decide`, remembering its answer for each header value met lately: clients
 * send a few values, always the same, and each is worked out once. A value
 * that is too long is worked out every time; a full memo starts again empty.
 */
export function headerMemo<Answer>(decide: (value: string | undefined) => Answer): (value: string | undefined) => Answer {
  const answers = new Map<string, Answer>();
  return (value) => {
    const key = value ?? MISSING;
    if (answers.has(key)) return answers.get(key)!;
    const answer = decide(value);
    if (key.length <= LONGEST_VALUE_KEPT) {
      if (answers.size >= VALUES_KEPT) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
}
