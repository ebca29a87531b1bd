import type { Plugin } from 'graphql-yoga';

export type OnExecute = NonNullable<Plugin['onExecute']>;
export type OnExecutePayload = Parameters<OnExecute>[0];
type OnExecuteAnswer = Extract<Awaited<ReturnType<OnExecute>>, object>;
type OnExecuteDone = NonNullable<OnExecuteAnswer['onExecuteDone']>;
type OnExecuteDonePayload = Parameters<OnExecuteDone>[0];
type OnExecuteDoneResult = Extract<Awaited<ReturnType<OnExecuteDone>>, object>;
type OnNext = NonNullable<OnExecuteDoneResult['onNext']>;
type OnNextPayload = Parameters<OnNext>[0];
type OnEnd = NonNullable<OnExecuteDoneResult['onEnd']>;

export const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';

/**
 * Runs `steps` in order; a step that answers a promise is waited for before
 * the next. Answers a promise only when one did, so a chain of plain
 * functions stays synchronous.
 */
export function runInOrder<Step>(steps: readonly Step[], run: (step: Step) => unknown, from = 0): void | Promise<void> {
  for (let index = from; index < steps.length; index++) {
    const answered = run(steps[index]!);
    if (isThenable(answered)) return Promise.resolve(answered).then(() => runInOrder(steps, run, index + 1));
  }
}

/**
 * The plugins' onExecute hooks as one hook of one plugin, placed where the
 * first of them was; each plugin keeps its other hooks. envelop steps
 * through a phase's hooks with a chain of promise-like objects and closures
 * per hook, even when every hook is synchronous: with eight hooks on every
 * query and mutation, that chain allocated about a third of what a
 * one-event append over HTTP allocated. Here they are called in a loop,
 * with what envelop gives each: the executor so far, a result that stops
 * the hooks after it, the onExecuteDone hooks of every hook that ran, and
 * for a streamed result their onNext and onEnd, in order.
 */
export function executeHooksTogether(plugins: readonly Plugin[]): Plugin[] {
  const hooks = plugins.flatMap((plugin) => (plugin.onExecute ? [plugin.onExecute] : []));
  const first = plugins.findIndex((plugin) => plugin.onExecute);
  if (hooks.length < 2) return [...plugins];
  const together: Plugin = { onExecute: (payload) => runExecuteHooks(hooks, payload) };
  return plugins.flatMap((plugin, index) => {
    const { onExecute: _merged, ...rest } = plugin;
    const kept = plugin.onExecute ? (Object.keys(rest).length > 0 ? [rest as Plugin] : []) : [plugin];
    return index === first ? [together, ...kept] : kept;
  });
}

export function runExecuteHooks(hooks: readonly OnExecute[], payload: OnExecutePayload) {
  let stopped = false;
  let executeFn = payload.executeFn;
  const done: OnExecuteAnswer[] = [];
  const setExecuteFn = (chosen: OnExecutePayload['executeFn']) => {
    executeFn = chosen;
    payload.setExecuteFn(chosen);
  };
  const setResultAndStopExecution = (result: Parameters<OnExecutePayload['setResultAndStopExecution']>[0]) => {
    stopped = true;
    payload.setResultAndStopExecution(result);
  };
  const keep = (answered: Awaited<ReturnType<OnExecute>>) => {
    if (answered?.onExecuteDone) done.push(answered);
  };
  const ran = runInOrder(hooks, (hook) => {
    if (stopped) return;
    // A payload of its own, as envelop gives each hook: its executeFn stays the executor it was called with.
    const answered = hook({ ...payload, executeFn, setExecuteFn, setResultAndStopExecution });
    return isThenable(answered) ? answered.then(keep) : keep(answered);
  });
  const answer = () => (done.length === 0 ? undefined : { onExecuteDone: (donePayload: OnExecuteDonePayload) => runDoneHooks(done, donePayload) });
  return isThenable(ran) ? ran.then(answer) : answer();
}

/** Each called as a method of what its hook answered, as envelop calls it. */
function runDoneHooks(answers: readonly OnExecuteAnswer[], payload: OnExecuteDonePayload) {
  let onNext: OnNext[] | undefined;
  let onEnd: OnEnd[] | undefined;
  const keep = (answered: Awaited<ReturnType<OnExecuteDone>>) => {
    if (answered?.onNext) (onNext ??= []).push(answered.onNext);
    if (answered?.onEnd) (onEnd ??= []).push(answered.onEnd);
  };
  const result = resultInTurn(payload);
  const ran = runInOrder(answers, (hook) => {
    const answered = hook.onExecuteDone!(result.payload());
    return isThenable(answered) ? answered.then(keep) : keep(answered);
  });
  const answer = (): OnExecuteDoneResult | undefined => {
    if (!onNext && !onEnd) return undefined;
    const nexts = onNext;
    const ends = onEnd;
    return {
      onNext: nexts && ((nextPayload: OnNextPayload) => runNextHooks(nexts, nextPayload)),
      onEnd: ends && (() => ends.forEach((end) => end())),
    };
  };
  return isThenable(ran) ? ran.then(answer) : answer();
}

function runNextHooks(hooks: readonly OnNext[], payload: OnNextPayload): void | Promise<void> {
  const result = resultInTurn(payload);
  return runInOrder(hooks, (hook) => hook(result.payload()));
}

/**
 * Payloads for hooks in turn, as envelop makes them: each is made when its
 * hook is called, with the result as it stands then; a result one of them
 * sets is passed on to envelop and is the next one's.
 */
function resultInTurn<Payload extends { result: unknown; setResult: (result: never) => void }>(given: Payload) {
  let result = given.result;
  const setResult = (next: never) => {
    result = next;
    given.setResult(next);
  };
  return { payload: (): Payload => ({ ...given, result, setResult }) };
}
