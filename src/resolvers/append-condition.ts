import type { AppendConditionShape } from '../schema/append-input.js';
import type { AppendCondition } from '../store/types.js';
import { compileSubsetMatcher } from '../subscriptions/matcher.js';
import { badUserInput } from './errors.js';
import { checkEventTypes, checkJsonValue, checkJsonSize, checkNonNegative, checkStreamPrefix } from './validate.js';

/** Bytes of JSON one condition's pattern may hold; it is matched against every candidate event under the store lock. */
export const MAX_CONDITION_PATTERN_BYTES = 64 * 1024;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An append condition as the store takes it, checked: bounded lists and
 * pattern, and the pattern compiled once for the events planned in the same
 * batch (the store matches stored ones in SQL, with the same rules).
 */
export function conditionOf(field: string, input: AppendConditionShape | null | undefined, limits: { maxJsonDepth: number }): AppendCondition | undefined {
  if (input === null || input === undefined) return undefined;
  const query = input.failIfEventsMatch;
  const after = checkNonNegative(`${field}.after`, input.after ?? 0);
  const condition: AppendCondition = { after };
  if (query.eventTypes !== null && query.eventTypes !== undefined) {
    condition.eventTypes = checkEventTypes(`${field}.failIfEventsMatch.eventTypes`, query.eventTypes);
  }
  if (query.streamPrefix !== null && query.streamPrefix !== undefined) {
    condition.streamPrefix = checkStreamPrefix(`${field}.failIfEventsMatch.streamPrefix`, query.streamPrefix);
  }
  if (query.pattern !== null && query.pattern !== undefined) {
    const patternField = `${field}.failIfEventsMatch.pattern`;
    if (!isPlainObject(query.pattern)) throw badUserInput(patternField, 'must be a JSON object');
    checkJsonValue(patternField, query.pattern, limits.maxJsonDepth);
    checkJsonSize(patternField, query.pattern, MAX_CONDITION_PATTERN_BYTES);
    const matches = compileSubsetMatcher(query.pattern);
    condition.pattern = query.pattern;
    condition.matchesPattern = (event) => matches({ streamId: event.streamId, type: event.type, data: event.data, metadata: event.metadata });
  }
  return condition;
}
