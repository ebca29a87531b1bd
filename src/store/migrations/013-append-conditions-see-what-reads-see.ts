import type { StoreTables } from '../tables.js';
import { conditionPositionsUnderLock } from './append-function-parts.js';
import { appendFunctionOfFewerStatements } from './012-append-in-fewer-statements.js';

/**
 * 012's append function, with the same parameters and answers, whose
 * conditions see only what reads see: an event that retention hides
 * (`maxCount`, `maxAgeSeconds`, `truncateBefore`) no longer fails an
 * append's `failIfEventsMatch`, whether or not the background pass has
 * erased it yet. Before, the outcome depended on when that pass ran. The
 * scan, under the store's lock, now walks past the matching events that are
 * hidden and not yet erased, each at the cost of a metadata lookup: a
 * condition on a type with many such events is slower until the pass has run.
 */
export function appendConditionsSeeWhatReadsSee(t: StoreTables): string {
  return appendFunctionOfFewerStatements(t, conditionPositionsUnderLock(t, { visibleOnly: true }));
}
