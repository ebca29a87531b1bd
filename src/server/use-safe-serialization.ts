import type { ExecutionResult } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { FullLogger } from '../log.js';
import { requestIdOf } from './request-id.js';
import type { ErrorMasking } from './use-error-masking.js';

type Serializable = ExecutionResult & { stringify?: (result: ExecutionResult) => string };
type Mask = (error: unknown) => unknown;

/**
 * Gives `result` a `stringify` (yoga serialises a result with its own, when
 * it has one) that answers the JSON the result's former one (or
 * JSON.stringify) makes, or, when that cannot be made, the masked error in
 * its place: JSON.stringify recurses, and a value nested some thousands deep
 * (an event stored past the API's depth limit, by another writer or an older
 * version) throws a RangeError. Kept off the result's enumerable keys, so
 * that it is not serialised itself.
 */
function guardStringify(result: Serializable, mask: Mask, failed: () => void): void {
  const inner = result.stringify ?? JSON.stringify;
  const stringify = (sanitized: ExecutionResult) => {
    try {
      return inner(sanitized);
    } catch (error) {
      failed();
      return JSON.stringify({ errors: [mask(error)] });
    }
  };
  Object.defineProperty(result, 'stringify', { value: stringify, configurable: true, writable: true });
}

/**
 * A subscription's results, each serialised as `guardStringify` has it; once one
 * could not be, the subscription ends after its error, and lets go of its source.
 */
function guardedStream(source: AsyncIterable<Serializable>, mask: Mask): AsyncIterableIterator<Serializable> {
  const iterator = source[Symbol.asyncIterator]();
  let failed = false;
  const fail = () => (failed = true);
  const finish = async (): Promise<IteratorResult<Serializable>> => {
    await iterator.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      if (failed) return finish();
      const step = await iterator.next();
      if (!step.done && typeof step.value === 'object' && step.value !== null) guardStringify(step.value, mask, fail);
      return step;
    },
    return: finish,
    async throw(error: unknown) {
      await iterator.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Yoga serialises an SSE subscription's results where nothing catches a
 * failure: one event that cannot be serialised would end the process on an
 * unhandled rejection, and every client with it. With this plugin, each
 * result yoga serialises (SSE, and answers over HTTP that yoga makes) that
 * cannot be is answered as a masked error, its cause logged; a subscription
 * ends after it, the others go on. Last among the plugins: it sees the result
 * as it will be sent.
 */
export function useSafeSerialization(log: FullLogger, masking: ErrorMasking): Plugin {
  return {
    onResultProcess({ result, setResult, serverContext }) {
      const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
      const mask = masking.maskWith(() => log.child({ requestId: requestIdOf(req) }));
      if (Symbol.asyncIterator in result) {
        setResult(guardedStream(result as AsyncIterable<Serializable>, mask));
        return;
      }
      for (const one of Array.isArray(result) ? result : [result]) {
        if (typeof one === 'object' && one !== null) guardStringify(one as Serializable, mask, () => undefined);
      }
    },
  };
}
