import { describe, expect, it } from 'vitest';
import { deliverySlots } from '../../src/subscriptions/persistent/delivery-slots.js';

describe('deliverySlots', () => {
  it('gives one delivery to each consumer with room in turn, until all room is used', () => {
    const slots = deliverySlots(
      [
        { id: 'a', room: 3 },
        { id: 'b', room: 1 },
        { id: 'c', room: 0 },
        { id: 'd', room: 2 },
      ],
      0,
    );
    expect(slots).toEqual(['a', 'b', 'd', 'a', 'd', 'a']);
  });

  it('starts at a different consumer each time, wrapping around', () => {
    const rooms = [
      { id: 'a', room: 1 },
      { id: 'b', room: 1 },
      { id: 'c', room: 1 },
    ];
    expect(deliverySlots(rooms, 1)).toEqual(['b', 'c', 'a']);
    expect(deliverySlots(rooms, 5)).toEqual(['c', 'a', 'b']);
  });

  it('is empty when nobody has room', () => {
    expect(deliverySlots([], 3)).toEqual([]);
    expect(deliverySlots([{ id: 'a', room: 0 }], 0)).toEqual([]);
  });
});
