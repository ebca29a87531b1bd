import type { ScopedCondition } from './append-plan.js';

/** What an append condition matches, as the store's SQL reads it (the write adds whether it is required); absent keys are parts not given. */
export interface ConditionDocument {
  after: number;
  types?: readonly string[];
  prefix?: string;
  /** LIKE patterns of the caller's streams. */
  scope?: readonly string[];
  pattern?: Record<string, unknown>;
}

/**
 * A pattern that names a type or a stream exactly narrows the lookup on an
 * index as eventTypes and streamPrefix would (the pattern still decides).
 */
export function conditionDocument(condition: ScopedCondition): ConditionDocument {
  const scope = condition.scope.likePatterns();
  const { type, streamId } = condition.pattern ?? {};
  const types = condition.eventTypes ?? (typeof type === 'string' ? [type] : undefined);
  const prefix = condition.streamPrefix ?? (typeof streamId === 'string' ? streamId : undefined);
  return {
    after: condition.after,
    ...(types ? { types } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(scope ? { scope } : {}),
    ...(condition.pattern ? { pattern: condition.pattern } : {}),
  };
}
