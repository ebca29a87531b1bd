import { createSourceEventStream, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { jsonSizeOf } from '../store/event-size.js';
import type { RecordedEvent } from '../store/types.js';
import { EventExecution } from './compiled-execution.js';
import { MappedIterator, type Mapping } from './mapped-iterator.js';
import { asGraphQLError } from './as-graphql-error.js';
import type { Room } from './send-room.js';
import { withInputErrorCode } from './use-input-error-codes.js';

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

/** What a subscription's selection runs on: an id that names what it shows. */
export interface SharedRoot {
  id: string;
  /** True when no other subscription is handed the same root (a persistent delivery): its result is not kept to share. */
  readonly forOneOnly?: boolean;
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
  private readonly handedOut = new WeakSet<ExecutionResult>();
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

  /** Counts a subscription of `documentKey` in; `leave` counts it out, once for each join. */
  join(documentKey: string): void {
    this.subscribers.set(documentKey, (this.subscribers.get(documentKey) ?? 0) + 1);
  }

  leave(documentKey: string): void {
    const count = this.subscribers.get(documentKey)! - 1;
    if (count === 0) this.subscribers.delete(documentKey);
    else this.subscribers.set(documentKey, count);
  }

  /** Whether `result` was handed to more than one subscription (or may yet be): only such a result is worth serialising once for all. */
  isShared(result: ExecutionResult): boolean {
    return this.handedOut.has(result);
  }

  /** The result of `documentKey` on `root` (an event, a delivery, a cluster snapshot). */
  get(documentKey: string, root: SharedRoot, execute: () => Result): Result {
    if (root.forOneOnly === true || this.subscribers.get(documentKey) === 1) return execute();
    let results = this.byEvent.get(root.id);
    let result = results?.byDocument.get(documentKey);
    if (result !== undefined) return result;
    result = execute();
    const weight = resultWeight(root);
    if (weight > this.maxBytes) return result;
    result = this.handOut(result);
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

  private handOut(result: Result): Result {
    if (!(result instanceof Promise)) {
      this.handedOut.add(result);
      return result;
    }
    return result.then((settled) => {
      this.handedOut.add(settled);
      return settled;
    });
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
 * Subscribes like graphql-js does: the field's subscribe gives the event
 * stream, and the selection is executed on each event, here once per
 * document, variables and event. graphql-js executes it directly: yoga's
 * enveloped execute would treat a subscription document as a new subscribe.
 * Errors go through `maskError`, as they would through yoga, and bad
 * variables get their code, as `useInputErrorCodes` gives them.
 */
export async function subscribeWithSharedResults(
  args: ExecutionArgs,
  shared: SharedResults,
  key: string,
  maskError: (error: GraphQLError) => GraphQLError,
  room?: Room,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return masked(source as ExecutionResult, maskError);
  const events = (source as AsyncIterable<SharedRoot>)[Symbol.asyncIterator]();
  return new MappedIterator(events, new SharedSubscription(args, shared, key, maskError), room);
}

/** A subscription refused before it started (its variables, its field's checks), as yoga answers it: bad input tagged as such, then masked. */
function masked(result: ExecutionResult, maskError: (error: GraphQLError) => GraphQLError): ExecutionResult {
  return result.errors ? { ...result, errors: result.errors.map((error) => maskError(withInputErrorCode(error))) } : result;
}

/**
 * How one subscription turns events into results: one object, where a
 * closure for each step and for leaving the shared results cost an idle
 * subscription some 300 bytes.
 */
class SharedSubscription implements Mapping<SharedRoot, ExecutionResult | Promise<ExecutionResult>> {
  private readonly execution: EventExecution;

  constructor(
    args: ExecutionArgs,
    private readonly shared: SharedResults,
    private readonly key: string,
    private readonly maskError: (error: GraphQLError) => GraphQLError,
  ) {
    this.execution = new EventExecution(args);
    shared.join(key);
  }

  map(event: SharedRoot): Result {
    return this.shared.get(this.key, event, () => this.run(event));
  }

  /** Synchronous when the execution is: a replay runs this a million times, and an await each cost a promise and a turn. */
  private run(event: SharedRoot): Result {
    const result = this.execution.run(event);
    return result instanceof Promise ? result.then((settled) => masked(settled, this.maskError)) : masked(result, this.maskError);
  }

  failed(error: unknown): ExecutionResult {
    return masked({ errors: [asGraphQLError(error)] }, this.maskError);
  }

  ended(): void {
    this.shared.leave(this.key);
  }
}
