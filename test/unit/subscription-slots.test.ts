import { describe, expect, it } from 'vitest';
import { SubscriptionLimitError, SubscriptionSlots } from '../../src/subscriptions/subscription-slots.js';

function refusal(take: () => unknown): SubscriptionLimitError {
  try {
    take();
  } catch (error) {
    if (error instanceof SubscriptionLimitError) return error;
    throw error;
  }
  throw new Error('the slot was given');
}

describe('SubscriptionSlots', () => {
  it('refuses a client past its own limit, naming it, while other clients go on', () => {
    const slots = new SubscriptionSlots({ perClient: 2, perGateway: 10 });
    slots.take('a');
    slots.take('a');
    const refused = refusal(() => slots.take('a'));
    expect([refused.limit, refused.maximum]).toEqual(['GATER_MAX_SUBSCRIPTIONS_PER_CLIENT', 2]);
    expect(refused.message).toContain('at most 2');
    slots.take('b');
    expect(slots.running).toBe(3);
  });

  it('refuses anyone past the gateway limit', () => {
    const slots = new SubscriptionSlots({ perClient: 10, perGateway: 2 });
    slots.take('a');
    slots.take('b');
    expect(refusal(() => slots.take('c')).limit).toBe('GATER_MAX_SUBSCRIPTIONS');
  });

  it('gives a place back once, however often it is released', () => {
    const slots = new SubscriptionSlots({ perClient: 1, perGateway: 10 });
    const release = slots.take('a');
    release();
    release();
    expect(slots.running).toBe(0);
    slots.take('a');
    expect(refusal(() => slots.take('a')).limit).toBe('GATER_MAX_SUBSCRIPTIONS_PER_CLIENT');
  });
});
