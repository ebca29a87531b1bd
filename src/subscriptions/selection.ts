import type { RecordedEvent } from '../store/types.js';
import { compileSubsetMatcher, type Matcher } from './matcher.js';

/** The stream id that selects every stream: byStream's and BY_STREAM's name for the global log. */
export const ALL_STREAMS = '$all';

/** What a live subscription selects from its store's log. */
export type Selection =
  | { kind: 'stream'; streamId: string }
  | { kind: 'all' }
  | { kind: 'type'; eventType: string }
  | { kind: 'pattern'; pattern: Record<string, unknown> }
  | { kind: 'payload'; payload: Record<string, unknown> };

export type SelectionKind = Selection['kind'];

/** Every kind once, in this order; a kind added to Selection and missing here fails to compile. */
export const SELECTION_KINDS = Object.keys({
  stream: true,
  all: true,
  type: true,
  pattern: true,
  payload: true,
} satisfies Record<SelectionKind, true>) as readonly SelectionKind[];

/** The fields a pattern is matched against. */
export function patternView(event: RecordedEvent): Record<string, unknown> {
  return { streamId: event.streamId, type: event.type, data: event.data, metadata: event.metadata };
}

/** The test an event must pass, beyond the index bucket that brought it; null when the bucket is exact. */
export function compileFilter(selection: Selection): ((event: RecordedEvent) => boolean) | null {
  switch (selection.kind) {
    case 'pattern': {
      const matches: Matcher = compileSubsetMatcher(selection.pattern);
      return (event) => matches(patternView(event));
    }
    case 'payload': {
      const matches: Matcher = compileSubsetMatcher(selection.payload);
      return (event) => matches(event.data);
    }
    default:
      return null;
  }
}

/**
 * Where the fan-out index files a subscription: under its stream or event
 * type when it names one exactly (a pattern with a string streamId or type
 * counts), else with the subscriptions every event is offered to.
 */
export function indexKeyOf(selection: Selection): { streamId: string } | { eventType: string } | 'every' {
  switch (selection.kind) {
    case 'stream':
      return { streamId: selection.streamId };
    case 'type':
      return { eventType: selection.eventType };
    case 'pattern': {
      const { streamId, type } = selection.pattern;
      if (typeof streamId === 'string') return { streamId };
      if (typeof type === 'string') return { eventType: type };
      return 'every';
    }
    default:
      return 'every';
  }
}
