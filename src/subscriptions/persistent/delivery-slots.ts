/** A consumer and how many more deliveries it may hold. */
export interface ConsumerRoom {
  id: string;
  room: number;
}

/**
 * Who gets the next deliveries, one entry per delivery: round robin over
 * the consumers with room, starting at `start` (modulo their number), so
 * that the few events of a small claim do not always go to the same one.
 */
export function deliverySlots(consumers: readonly ConsumerRoom[], start: number): string[] {
  const count = consumers.length;
  if (count === 0) return [];
  const left = consumers.map((consumer) => consumer.room);
  const slots: string[] = [];
  for (let more = true; more; ) {
    more = false;
    for (let offset = 0; offset < count; offset++) {
      const index = (start + offset) % count;
      if (left[index]! <= 0) continue;
      left[index]!--;
      slots.push(consumers[index]!.id);
      more = true;
    }
  }
  return slots;
}
