import { createSourceEventStream, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { jsonSizeOf } from '../store/event-size.js';
import type { RecordedEvent } from '../store/types.js';
import { eventExecution } from './compiled-execution.js';
import type { Room, Tenant } from './send-room.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** What a result costs beyond its event's payloads: the result objects, their keys, the other fields. */
const RESULT_OVERHEAD_BYTES = 256;

/**
 * What keeping a result costs, near enough: it holds its event's payloads,
 * and once sent over graphql-ws their JSON too. A persistent delivery holds
 * its event; other roots (a cluster snapshot) are small.
 */
export function resultWeight(root: object): number {
  const event = 'event' in root ? (root.event as object) : root;
  const payloads = 'data' in event && 'metadata' in event ? 2 * jsonSizeOf(event as RecordedEvent) : 0;
  return RESULT_OVERHEAD_BYTES + payloads;
}

interface EventResults {
  byDocument: Map<string, Result>;
  bytes: number;
}

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
 * mean the same store. Bounded in events and in bytes (`resultWeight`): the
 * oldest events' results are dropped first. A document only one subscription
 * runs keeps nothing: its results would only be looked up by itself, and a
 * lone subscriber replaying a million events would pay for keeping each.
 */
export class SharedResults {
  private readonly byEvent = new Map<string, EventResults>();
  private readonly subscribers = new Map<string, number>();
  /**
   * Event ids in the order they were kept, from `oldest` on. A Map's first
   * entry is slow to find once many were deleted before it (iteration walks
   * over them until the table is rebuilt), and the oldest is dropped for
   * every new event once the bounds are reached.
   */
  private order: string[] = [];
  private oldest = 0;
  private bytes = 0;

  constructor(
    private readonly maxBytes = 64 * 2 ** 20,
    private readonly maxEvents = 10_000,
  ) {}

  /** Bytes the kept results weigh. */
  get weight(): number {
    return this.bytes;
  }

  /** Counts a subscription of `documentKey` in until the answer is called. */
  join(documentKey: string): () => void {
    this.subscribers.set(documentKey, (this.subscribers.get(documentKey) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const count = this.subscribers.get(documentKey)! - 1;
      if (count === 0) this.subscribers.delete(documentKey);
      else this.subscribers.set(documentKey, count);
    };
  }

  /** The result of `documentKey` on `root` (an event, a delivery: anything with an id that names what it shows). */
  get(documentKey: string, root: { id: string }, execute: () => Result): Result {
    if (this.subscribers.get(documentKey) === 1) return execute();
    let results = this.byEvent.get(root.id);
    let result = results?.byDocument.get(documentKey);
    if (result !== undefined) return result;
    result = execute();
    const weight = resultWeight(root);
    if (weight > this.maxBytes) return result;
    if (results === undefined) {
      results = { byDocument: new Map(), bytes: 0 };
      this.byEvent.set(root.id, results);
      this.order.push(root.id);
    }
    results.byDocument.set(documentKey, result);
    results.bytes += weight;
    this.bytes += weight;
    while (this.bytes > this.maxBytes || this.byEvent.size > this.maxEvents) this.dropOldest();
    return result;
  }

  private dropOldest(): void {
    const eventId = this.order[this.oldest++]!;
    const results = this.byEvent.get(eventId)!;
    this.byEvent.delete(eventId);
    this.bytes -= results.bytes;
    if (this.oldest >= 1024 && this.oldest * 2 >= this.order.length) {
      this.order = this.order.slice(this.oldest);
      this.oldest = 0;
    }
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
 * With a `room`, a value is taken from the source only when the socket has
 * room for it; a subscription the room stalls lets go of its source at once,
 * and ends with `failed(error)` once its client reads again. `onEnd` is
 * called once, however it ends.
 */
export function mapAsyncIterator<T, U>(
  source: AsyncIterator<T>,
  map: (value: T) => U | Promise<U>,
  failed: (error: unknown) => U,
  { room, onEnd }: { room?: Room; onEnd?: () => void } = {},
): AsyncIterableIterator<U> {
  return new MappedIterator(source, map, failed, room, onEnd);
}

/**
 * One object for each subscription, where a closure for each method and
 * each piece of state cost an idle subscription more than half a kilobyte:
 * a gateway holds tens of thousands of them.
 */
class MappedIterator<T, U> implements AsyncIterableIterator<U>, Tenant {
  /** True while a message of its own is on its way out, or it waits for room to send one. */
  busy = false;
  private ended = false;
  private stalled: unknown;

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly map: (value: T) => U | Promise<U>,
    private readonly failed: (error: unknown) => U,
    private readonly room: Room | undefined,
    private readonly onEnd: (() => void) | undefined,
  ) {
    room?.join(this);
  }

  stall(error: unknown): void {
    if (this.ended || this.stalled !== undefined) return;
    this.stalled = error;
    void this.source.return?.();
  }

  /**
   * Not an async function: an idle subscription waits here for its next
   * event, and a suspended async function's frame weighs some 400 bytes,
   * twice the callbacks of a plain promise.
   */
  next(): Promise<IteratorResult<U>> {
    this.busy = false;
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    const waiting = this.room?.wait();
    if (!waiting) return this.take();
    this.busy = true;
    return waiting.then(
      () => {
        this.busy = false;
        return this.ended ? { value: undefined, done: true } : this.take();
      },
      (error: unknown) => this.sourceFailed(error),
    );
  }

  private take(): Promise<IteratorResult<U>> {
    if (this.stalled !== undefined) {
      this.end();
      return Promise.resolve({ value: this.failed(this.stalled), done: false });
    }
    let step: Promise<IteratorResult<T>>;
    try {
      step = this.source.next();
    } catch (error) {
      return this.sourceFailed(error);
    }
    return step.then(
      (taken) => this.mapped(taken),
      (error: unknown) => this.sourceFailed(error),
    );
  }

  private mapped(step: IteratorResult<T>): IteratorResult<U> | Promise<IteratorResult<U>> {
    if (step.done) {
      this.end();
      return { value: undefined, done: true };
    }
    const value = this.map(step.value);
    if (!(value instanceof Promise)) {
      this.busy = true;
      return { value, done: false };
    }
    return value.then((settled) => {
      this.busy = true;
      return { value: settled, done: false };
    });
  }

  private async sourceFailed(error: unknown): Promise<IteratorResult<U>> {
    this.end();
    await this.source.return?.();
    return { value: this.failed(error), done: false };
  }

  async return(): Promise<IteratorResult<U>> {
    this.end();
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<U>> {
    this.end();
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.room?.leave(this);
    this.onEnd?.();
  }
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
  room?: Room,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const masked = (result: ExecutionResult): ExecutionResult =>
    result.errors ? { ...result, errors: result.errors.map(maskError) } : result;
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return masked(source as ExecutionResult);
  const events = (source as AsyncIterable<{ id: string }>)[Symbol.asyncIterator]();
  const executeOn = eventExecution(args);
  return mapAsyncIterator(
    events,
    (event) => shared.get(key, event, async () => masked(await executeOn(event))),
    (error) => masked({ errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error)?.message ?? String(error), { originalError: error as Error })] }),
    { room, onEnd: shared.join(key) },
  );
}
