import type { Erasure } from '../store/erasures.js';
import type { RecordedEvent } from '../store/types.js';
import { indexKeyOf, type Selection } from './selection.js';

/** Anything that takes offered events; the index never waits for it. */
export interface Recipient {
  readonly selection: Selection;
  offer(event: RecordedEvent): void;
  /** Lets go of the erased events it holds and has yet to hand on. */
  forget(erasure: Erasure): void;
  /** Ends the recipient after its `offer` threw; must not throw itself. */
  fail(error: unknown): void;
}

/** One recipient's failure (its filter cannot evaluate the event) ends that recipient alone. */
function offerTo(recipient: Recipient, event: RecordedEvent): void {
  try {
    recipient.offer(event);
  } catch (error) {
    recipient.fail(error);
  }
}

/**
 * Finds the subscriptions an event may concern without looking at the others:
 * by stream id, by event type, plus those that must see every event. The
 * cost of an event grows with the subscriptions it can match, not with all.
 */
export class FanOutIndex {
  private readonly byStream = new Map<string, Set<Recipient>>();
  private readonly byType = new Map<string, Set<Recipient>>();
  private readonly every = new Set<Recipient>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(recipient: Recipient): void {
    const bucket = this.bucketFor(recipient, true)!;
    if (bucket.has(recipient)) return;
    bucket.add(recipient);
    this.count++;
  }

  remove(recipient: Recipient): void {
    const key = indexKeyOf(recipient.selection);
    const bucket = this.bucketFor(recipient, false);
    if (!bucket?.delete(recipient)) return;
    this.count--;
    if (bucket.size > 0 || key === 'every') return;
    if ('streamId' in key) this.byStream.delete(key.streamId);
    else this.byType.delete(key.eventType);
  }

  /** Offers the event to every recipient that may want it; never throws, whatever a recipient does. */
  dispatch(event: RecordedEvent): void {
    const byStream = this.byStream.get(event.streamId);
    if (byStream) for (const recipient of byStream) offerTo(recipient, event);
    const byType = this.byType.get(event.type);
    if (byType) for (const recipient of byType) offerTo(recipient, event);
    for (const recipient of this.every) offerTo(recipient, event);
  }

  /** Every recipient that may hold events of the stream: its own, and those of event types and of every stream. */
  *concerning(streamId: string): Iterable<Recipient> {
    yield* this.byStream.get(streamId) ?? [];
    for (const bucket of this.byType.values()) yield* bucket;
    yield* this.every;
  }

  private bucketFor(recipient: Recipient, create: boolean): Set<Recipient> | undefined {
    const key = indexKeyOf(recipient.selection);
    if (key === 'every') return this.every;
    const [map, name] = 'streamId' in key ? [this.byStream, key.streamId] : [this.byType, key.eventType];
    let bucket = map.get(name);
    if (!bucket && create) {
      bucket = new Set();
      map.set(name, bucket);
    }
    return bucket;
  }
}
