import type { StoreTables } from '../tables.js';
import { APPEND_FUNCTION_PARAMETERS, insertEventsFromArrays, plannedAppendBody } from './append-function-parts.js';

/**
 * Replaces the append function of 001. PL/pgSQL keeps a generic plan per
 * statement for the life of a connection, made from the table's size when the
 * plan was first cached: on a store that was empty then, "is any fresh id
 * already stored?" became a sequential scan of the whole event log on every
 * batch, slower as the log grew. Planning each statement for its own
 * arguments keeps every lookup on its index; the planning costs far less than
 * one such scan. The function's signature and answers are unchanged.
 *
 * Also: the head row needs no row lock (the advisory lock already serializes
 * writers), and an append of generated ids skips the lookup altogether.
 */
export function appendWithoutScans(t: StoreTables): string {
  return `
    CREATE OR REPLACE FUNCTION ${t.appendFunction}(
${APPEND_FUNCTION_PARAMETERS}
${plannedAppendBody(t, insertEventsFromArrays(t))}
  `;
}
