import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { stringifyResult } from './result-serializer.js';

/**
 * What graphql-ws serialises in place of a result whose JSON is already
 * made; no execution result looks like it (they hold data, errors or
 * extensions), and graphql-ws wants an object there.
 */
const PLACEHOLDER = Object.freeze({ '\u0000': 0 });
const PLACEHOLDER_TAIL = `"payload":${JSON.stringify(PLACEHOLDER)}}`;

/**
 * One event fanned out to a thousand subscribers of the same document is
 * one shared result object (SharedResults). graphql-ws would serialise it
 * once per subscriber; this serialises it once. graphql-ws's onNext hook
 * swaps the result for the placeholder and queues the JSON on that socket;
 * the socket's send puts the JSON back. graphql-ws sends a socket's messages
 * in the order their onNext ran, so the queue lines up with the messages.
 */
export class SerializedPayloads {
  private readonly jsonOf = new WeakMap<ExecutionResult, string>();
  private readonly pending = new WeakMap<object, string[]>();

  /**
   * `isShared`: whether a result may go to more than one subscription. Only
   * those are remembered: a lone subscriber replaying a million events would
   * pay for a weak map entry of each.
   */
  constructor(private readonly isShared: (result: ExecutionResult) => boolean = () => true) {}

  /** For graphql-ws's onNext: the payload to serialise instead, or undefined to let it serialise the result itself. `args`: the operation's. */
  payloadFor(socket: object, result: ExecutionResult, args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName'>): object | undefined {
    if (result.errors !== undefined) return undefined;
    const shared = this.isShared(result);
    let json = shared ? this.jsonOf.get(result) : undefined;
    if (json === undefined) {
      json = stringifyResult(result, args.schema, args.document, args.operationName);
      if (shared) this.jsonOf.set(result, json);
    }
    let queue = this.pending.get(socket);
    if (queue === undefined) {
      queue = [];
      this.pending.set(socket, queue);
    }
    queue.push(json);
    return PLACEHOLDER;
  }

  /** A message as it leaves the socket: with the JSON its placeholder stands for. */
  fill(socket: object, message: string): string {
    if (!message.endsWith(PLACEHOLDER_TAIL)) return message;
    const json = this.pending.get(socket)?.shift();
    if (json === undefined) throw new Error('a graphql-ws message holds a payload placeholder with no JSON queued for it');
    return `${message.slice(0, -PLACEHOLDER_TAIL.length)}"payload":${json}}`;
  }
}
