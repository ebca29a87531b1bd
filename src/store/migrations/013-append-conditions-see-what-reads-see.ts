import type { StoreTables } from '../tables.js';
import { conditionPositionsUnderLock } from './append-function-parts.js';
import { appendFunctionOfFewerStatements } from './012-append-in-fewer-statements.js';

/**
 * 012's append function, with the same parameters and answers, whose
 * conditions see only what reads see: an event that retention hides
 * (`maxCount`, `maxAgeSeconds`, `truncateBefore`) no longer fails an
 * append's `failIfEventsMatch`, whether or not the background pass has
 * erased it yet. Before, the outcome depended on when that pass ran.
 */
export function appendConditionsSeeWhatReadsSee(t: StoreTables): string {
  return appendFunctionOfFewerStatements(t, conditionPositionsUnderLock(t, { visibleOnly: true }));
}
