import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/access/errors.js';
import { SubscriptionNotFoundError } from '../../src/store/errors.js';
import { withoutStack } from '../../src/refusal-error.js';
import { badUserInput } from '../../src/resolvers/errors.js';
import { errorMasking } from '../../src/server/use-error-masking.js';

const FRAME = /\n\s+at /;

function maskedWithLog(error: GraphQLError) {
  const logged: unknown[] = [];
  const masking = errorMasking({ info: () => undefined, error: (_message, cause) => logged.push(cause) });
  return { masked: masking.maskError(error, 'Unexpected error.') as GraphQLError, logged };
}

describe('errors that answer a client, and faults', () => {
  it('a refusal, and what the client is told of it, carry no stack frames', () => {
    const refusal = new SubscriptionNotFoundError('billing');
    expect(refusal.stack).not.toMatch(FRAME);
    expect(refusal).toBeInstanceOf(Error);
    expect(new ForbiddenError('no write', 'write').stack).not.toMatch(FRAME);
    expect(badUserInput('input.events', 'an append needs at least one event').stack).not.toMatch(FRAME);
    const { masked, logged } = maskedWithLog(new GraphQLError(refusal.message, { path: ['ackEvent'], originalError: refusal }));
    expect(masked.extensions.code).toBe('SUBSCRIPTION_NOT_FOUND');
    expect(masked.stack).not.toMatch(FRAME);
    expect(logged).toEqual([]);
  });

  it('a fault is logged with the stack of where it happened', () => {
    const fault = (() => new TypeError('cannot read properties of undefined'))();
    const { masked, logged } = maskedWithLog(new GraphQLError(fault.message, { path: ['stream'], originalError: fault }));
    expect(masked.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(logged).toEqual([fault]);
    expect(fault.stack).toMatch(FRAME);
    expect(new Error('after a refusal').stack).toMatch(FRAME);
  });

  it('withoutStack gives back the stack trace limit, also when what it makes throws', () => {
    const limit = Error.stackTraceLimit;
    expect(() =>
      withoutStack(() => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(withoutStack(() => new Error('made')).stack).not.toMatch(FRAME);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
