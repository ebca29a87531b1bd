import type { Caller } from '../access/caller.js';
import { UnauthenticatedError } from '../access/errors.js';

/** setTimeout's longest delay; a credential valid for longer is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A subscription's events for as long as the caller's credential is valid:
 * past its expiry (a token's `exp`), the subscription ends with
 * UNAUTHENTICATED, over SSE as over graphql-ws. A credential that does not
 * expire gets the events as they are, at no cost.
 */
export function untilExpiry<T>(caller: Caller, events: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  const { expiresAt } = caller;
  if (expiresAt === undefined) return events;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    const arm = () => {
      const left = expiresAt - Date.now();
      if (left <= 0) reject(new UnauthenticatedError('the credential has expired'));
      else timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
  });
  expired.catch(() => undefined);
  const end = () => {
    clearTimeout(timer);
    return events.return?.() ?? Promise.resolve({ done: true as const, value: undefined });
  };
  return {
    async next() {
      try {
        const result = await Promise.race([events.next(), expired]);
        if (result.done) clearTimeout(timer);
        return result;
      } catch (error) {
        await end();
        throw error;
      }
    },
    return: () => end() as Promise<IteratorResult<T>>,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
