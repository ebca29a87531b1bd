import { context, ROOT_CONTEXT, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import { activeSpan, traced, tracingOn } from '../tracing.js';
import type { StoreTables } from './tables.js';

/** A store call in a span of its own, under the operation (or other span) that made it. */
export function storeSpan<T>(name: string, tables: StoreTables, call: (span: Span) => Promise<T>): Promise<T> {
  return traced(name, call, { attributes: { 'gater.store': tables.storeId } });
}

/** A read of one page, with the number of items it found. */
export function pageSpan<T extends { items: readonly unknown[] }>(name: string, tables: StoreTables, read: () => Promise<T>): Promise<T> {
  return storeSpan(name, tables, async (span) => {
    const page = await read();
    span.setAttribute('gater.items', page.items.length);
    return page;
  });
}

/**
 * Work a store does in the background (claims for persistent subscriptions):
 * a trace of its own, since one claim serves whatever is due, not the
 * operation that happened to wake it; linked to that operation, if any.
 */
export function backgroundSpan<T>(name: string, tables: StoreTables, attributes: Record<string, string>, call: (span: Span) => Promise<T>): Promise<T> {
  const waker = activeSpan().spanContext();
  const links: Link[] = trace.isSpanContextValid(waker) ? [{ context: waker }] : [];
  return traced(name, call, { parent: ROOT_CONTEXT, links, attributes: { 'gater.store': tables.storeId, ...attributes } });
}

/** The context of each append waiting in a group commit: the batch that takes it links to it. */
const waitingAppends = new WeakMap<object, Context>();

/**
 * One append, from its submission to its outcome: the wait for a group-commit
 * batch and the batch's commit. A child of the operation that appends,
 * with its outcome: `ok`, or why the store refused it.
 */
export function appendSpan<O extends { ok: boolean; reason?: string }>(
  tables: StoreTables,
  request: object,
  events: number,
  submit: () => Promise<O>,
): Promise<O> {
  // Untraced, an append is its submission alone: no span, nor a weak-map entry for the batch to link to.
  if (!tracingOn()) return submit();
  return traced(
    'append',
    async (span) => {
      waitingAppends.set(request, context.active());
      const outcome = await submit();
      // A refused append (wrong expected version) is an answer, not an error: the span says which.
      span.setAttribute('gater.outcome', outcome.ok ? 'ok' : (outcome.reason ?? 'refused'));
      return outcome;
    },
    { attributes: { 'gater.store': tables.storeId, 'gater.events': events } },
  );
}

/**
 * One group-commit transaction, which serves the appends of many operations:
 * a child of the first one's `append` span, linked to the others', so that
 * every operation's trace leads to the commit that stored its events.
 */
export function appendBatchSpan<O>(tables: StoreTables, requests: readonly object[], events: number, commit: () => Promise<O>): Promise<O> {
  if (!tracingOn()) return commit();
  const [first, ...others] = requests.map((request) => waitingAppends.get(request));
  const links: Link[] = [];
  for (const waiting of others) {
    const spanContext = waiting && trace.getSpanContext(waiting);
    if (spanContext) links.push({ context: spanContext });
  }
  return traced('append batch', commit, {
    parent: first ?? context.active(),
    links,
    attributes: { 'gater.store': tables.storeId, 'gater.requests': requests.length, 'gater.events': events },
  });
}
