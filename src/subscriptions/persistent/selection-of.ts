import type { SubscriptionDefinition } from '../../store/persistent/types.js';
import { ALL_STREAMS, type Selection } from '../selection.js';

/**
 * What a persistent subscription selects, as a live selection keyed by
 * global position (a persistent subscription counts positions, never
 * versions): one stream is a pattern on its id, which the history reader
 * narrows in SQL and the matcher checks exactly.
 */
export function selectionOf({ type, selector, pattern }: Pick<SubscriptionDefinition, 'type' | 'selector' | 'pattern'>): Selection {
  switch (type) {
    case 'by_stream':
      return selector === ALL_STREAMS ? { kind: 'all' } : { kind: 'pattern', pattern: { streamId: selector } };
    case 'by_event_type':
      return { kind: 'type', eventType: selector! };
    case 'by_event_pattern':
      return { kind: 'pattern', pattern: pattern! };
    case 'by_event_payload':
      return { kind: 'payload', payload: pattern! };
  }
}
