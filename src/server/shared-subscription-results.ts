import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Results of executing one subscription document on one event. Every
 * subscriber of the same document and variables gets the same result, so an
 * event fanned out to a thousand such subscribers is executed once. Results
 * depend only on the document, the variables and the event (no resolver of
 * a subscription's selection reads the context); if one ever does, the key
 * must include what it reads.
 *
 * Kept per event id, so that subscribers reading the same events from the
 * database (catching up) share them too; the same document and variables
 * mean the same store. The oldest events' results are dropped first.
 */
export class SharedResults {
  private readonly byEvent = new Map<string, Map<string, Result>>();

  constructor(private readonly capacity = 10_000) {}

  get(documentKey: string, eventId: string, execute: () => Result): Result {
    let results = this.byEvent.get(eventId);
    if (results === undefined) {
      results = new Map();
      this.byEvent.set(eventId, results);
      if (this.byEvent.size > this.capacity) this.byEvent.delete(this.byEvent.keys().next().value!);
    }
    let result = results.get(documentKey);
    if (result === undefined) {
      result = execute();
      results.set(documentKey, result);
    }
    return result;
  }
}

let unshared = 0;

export function documentKey(query: string, operationName: string | null | undefined, variables: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(variables ?? {});
  } catch {
    // Variables nested too deep to serialise, which the resolvers refuse: such an operation shares with none.
    json = `unshared ${++unshared}`;
  }
  return `${operationName ?? ''}\u0000${json}\u0000${query}`;
}

/**
 * Maps an async iterator and, unlike an async generator, passes return()
 * straight through to the source. A source that fails (its database reads
 * failing, say) ends the subscription with one result carrying `failed(error)`,
 * as yoga answers over SSE, rather than handing graphql-ws the raw error.
 */
export function mapAsyncIterator<T, U>(
  source: AsyncIterator<T>,
  map: (value: T) => U | Promise<U>,
  failed: (error: unknown) => U,
): AsyncIterableIterator<U> {
  let ended = false;
  return {
    async next() {
      if (ended) return { value: undefined, done: true };
      let step: IteratorResult<T>;
      try {
        step = await source.next();
      } catch (error) {
        ended = true;
        return { value: failed(error), done: false };
      }
      return step.done ? { value: undefined, done: true } : { value: await map(step.value), done: false };
    },
    async return() {
      ended = true;
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      ended = true;
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * Subscribes like graphql-js does: the field's subscribe gives the event
 * stream, and the selection is executed on each event, here once per
 * document, variables and event. graphql-js executes it directly: yoga's
 * enveloped execute would treat a subscription document as a new subscribe.
 * Errors go through `maskError`, as they would through yoga.
 */
export async function subscribeWithSharedResults(
  args: ExecutionArgs,
  shared: SharedResults,
  key: string,
  maskError: (error: GraphQLError) => GraphQLError,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const masked = (result: ExecutionResult): ExecutionResult =>
    result.errors ? { ...result, errors: result.errors.map(maskError) } : result;
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return masked(source as ExecutionResult);
  const events = (source as AsyncIterable<{ id: string }>)[Symbol.asyncIterator]();
  return mapAsyncIterator(
    events,
    (event) => shared.get(key, event.id, async () => masked(await execute({ ...args, rootValue: event }))),
    (error) => masked({ errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error)?.message ?? String(error), { originalError: error as Error })] }),
  );
}
