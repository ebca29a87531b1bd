import { finalAsyncIterator, isAsyncIterable, mapAsyncIterator } from '@envelop/core';
import type { ExecutionArgs, ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import { asGraphQLError } from './as-graphql-error.js';
import { isThenable, runExecuteHooks, runInOrder, type OnExecute, type OnExecutePayload } from './execute-hooks-together.js';

type OnContextBuilding = NonNullable<Plugin['onContextBuilding']>;
type AfterContextBuilding = Extract<Awaited<ReturnType<OnContextBuilding>>, (...args: never[]) => unknown>;
type ExecuteResult = ExecutionResult | AsyncIterable<ExecutionResult>;
type Execute = (args: ExecutionArgs) => ExecuteResult | Promise<ExecuteResult>;

/** What `yoga.getEnveloped` answers, as much of it as an operation run here needs. */
export interface Enveloped {
  contextFactory: () => unknown;
  execute: Execute;
}

/**
 * Builds a context and executes an operation as envelop's contextFactory and
 * execute do, with every plugin's hooks in the same order and with the same
 * payloads, but calling them in plain loops. envelop steps through each
 * phase with a chain of promise-like objects and closures per hook, even
 * when every hook is synchronous: over graphql-ws that chain cost an
 * `ackEvent` about a fifth of the gateway's CPU. Where a plugin instruments
 * the phases, envelop runs them, as it wraps them.
 */
export class DirectOperations {
  private readonly contextHooks: readonly OnContextBuilding[];
  private readonly executeHooks: readonly OnExecute[];
  private readonly instrumented: boolean;

  /**
   * @param maskError what envelop's context error handlers make of a context hook's failure, to be
   *   thrown: the only one the gateway's plugins register is yoga's error masking.
   */
  constructor(
    yoga: YogaServerInstance<object, object>,
    private readonly maskError: (error: GraphQLError) => unknown,
  ) {
    // yoga keeps the plugins as envelop ordered them, the plugins that plugins added included.
    const { plugins } = yoga as unknown as { plugins: readonly Plugin[] };
    this.contextHooks = plugins.flatMap((plugin) => (plugin.onContextBuilding ? [plugin.onContextBuilding] : []));
    this.executeHooks = plugins.flatMap((plugin) => (plugin.onExecute ? [plugin.onExecute] : []));
    this.instrumented = plugins.some((plugin) => !!(plugin as { instrumentation?: unknown }).instrumentation);
  }

  /**
   * The context of an operation whose initial context `enveloped` was made
   * with. A hook's failure is thrown masked (by `maskError`, the operation's
   * own if it has one), as envelop throws it once its context error handlers
   * have had it (an after-callback's, as it is); no hook runs twice.
   */
  context(initial: object, enveloped: Enveloped, maskError = this.maskError): unknown {
    if (this.instrumented) return enveloped.contextFactory();
    return buildContext(this.contextHooks, initial as Record<string, unknown>, maskError);
  }

  /**
   * What executes an operation `enveloped` was made for: the same function for every operation, so
   * that a subscription, which keeps it as long as it runs, holds nothing more for it.
   */
  executorFor(enveloped: Enveloped): Execute {
    return this.instrumented ? enveloped.execute : this.execute;
  }

  private readonly execute: Execute = (args) => execute(this.executeHooks, args);
}

function buildContext(hooks: readonly OnContextBuilding[], context: Record<string, unknown>, maskError: (error: GraphQLError) => unknown): unknown {
  let broken = false;
  const after: AfterContextBuilding[] = [];
  const extendContext = (extension: object) => void Object.assign(context, extension);
  const payload = { context, extendContext, breakContextBuilding: () => void (broken = true) } as unknown as Parameters<OnContextBuilding>[0];
  // Anything a hook answers is called once every hook ran, as envelop does: a value that is not a function fails the context.
  const keep = (answered: Awaited<ReturnType<OnContextBuilding>>) => {
    if (answered) after.push(answered as AfterContextBuilding);
  };
  const failed = (error: unknown): never => {
    throw maskError(asGraphQLError(error));
  };
  let ran: void | Promise<void>;
  try {
    ran = runInOrder(hooks, (hook) => {
      if (broken) return;
      const answered = hook(payload);
      return isThenable(answered) ? answered.then(keep) : keep(answered);
    });
  } catch (error) {
    return failed(error);
  }
  const finish = () => {
    if (broken) return context;
    const afterPayload = { context, extendContext } as unknown as Parameters<AfterContextBuilding>[0];
    // Named as envelop names it: a value that is not a function fails with a TypeError that says so.
    const done = runInOrder(after, (afterCb) => afterCb(afterPayload));
    return isThenable(done) ? done.then(() => context) : context;
  };
  return isThenable(ran) ? ran.then(finish, failed) : finish();
}

function noExecutor(): never {
  throw new Error('No `execute` function found! Register it using "useEngine" plugin.');
}

function execute(hooks: readonly OnExecute[], args: ExecutionArgs): ExecuteResult | Promise<ExecuteResult> {
  let executeFn: Execute = noExecutor;
  let result: ExecuteResult | undefined;
  const context = (args.contextValue ?? {}) as Record<string, unknown>;
  const payload = {
    executeFn,
    setExecuteFn: (chosen: Execute) => void (executeFn = chosen),
    setResultAndStopExecution: (stopResult: ExecuteResult) => void (result = stopResult),
    context,
    extendContext: (extension: unknown) => {
      if (typeof extension !== 'object') throw new Error(`Invalid context extension provided! Expected "object", got: "${JSON.stringify(extension)}" (${typeof extension})`);
      Object.assign(context, extension);
    },
    args,
  } as unknown as OnExecutePayload;
  const ran = runExecuteHooks(hooks, payload);
  const afterHooks = (answered: Awaited<typeof ran>) => {
    const executed = result || executeFn({ ...args, contextValue: context });
    return isThenable(executed) ? executed.then((settled) => whenExecuted(settled, answered)) : whenExecuted(executed, answered);
  };
  const whenExecuted = (executed: ExecuteResult, answered: Awaited<typeof ran>) => {
    result = executed;
    if (!answered) return result;
    const done = answered.onExecuteDone({ args, result, setResult: (next: ExecuteResult) => void (result = next) } as never);
    return isThenable(done) ? done.then(followed) : followed(done);
  };
  const followed = (done: Awaited<ReturnType<NonNullable<Awaited<typeof ran>>['onExecuteDone']>>): ExecuteResult => {
    let followedResult = result!;
    const onNext = done?.onNext;
    const onEnd = done?.onEnd;
    if (onNext && isAsyncIterable(followedResult)) {
      followedResult = mapAsyncIterator(followedResult, (item: ExecutionResult) => {
        let next = item;
        const ranNext = onNext({ args, result: next, setResult: (replaced: ExecutionResult) => void (next = replaced) } as never);
        return isThenable(ranNext) ? ranNext.then(() => next) : next;
      }) as AsyncIterable<ExecutionResult>;
    }
    if (onEnd && isAsyncIterable(followedResult)) followedResult = finalAsyncIterator(followedResult, () => onEnd()) as AsyncIterable<ExecutionResult>;
    return followedResult;
  };
  return isThenable(ran) ? Promise.resolve(ran).then(afterHooks) : afterHooks(ran);
}
