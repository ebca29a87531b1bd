import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { StoreDoor } from '../../resolvers/store-door.js';
import { OTHER, type OperationDurations } from './operation-durations.js';

/** Where an operation's start is kept: on its context, which lives exactly as long. */
const STARTED = Symbol('operation started');

interface Timed {
  [STARTED]?: number;
  door?: StoreDoor;
}

/**
 * Times every query and mutation from the start of its execution to its result,
 * on every path that executes them (yoga, the fast POST path, graphql-ws), which
 * all run yoga's envelop. Subscriptions last as long as their client wants, and
 * are not timed. One hook object serves every request: the start time rides on
 * the context, so timing allocates nothing of its own.
 */
export function useOperationMetrics(durations: OperationDurations): Plugin {
  const done = {
    onExecuteDone({ args }: { args: { document: Parameters<typeof getOperationAST>[0]; operationName?: string | null; contextValue: unknown } }) {
      const context = args.contextValue as Timed;
      const started = context[STARTED];
      if (started === undefined) return;
      const operation = getOperationAST(args.document, args.operationName);
      const name = context.door?.authenticationRefusal() ? OTHER : operation?.name?.value;
      durations.observe(operation?.operation ?? 'unknown', name, (performance.now() - started) / 1_000);
    },
  };
  return {
    onExecute({ args }) {
      (args.contextValue as Timed)[STARTED] = performance.now();
      return done;
    },
  };
}
