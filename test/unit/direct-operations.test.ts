import { parse, type ExecutionResult } from 'graphql';
import { createSchema, createYoga, maskError, type Plugin } from 'graphql-yoga';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DirectOperations, type Enveloped } from '../../src/server/direct-operations.js';
import { executeHooksTogether } from '../../src/server/execute-hooks-together.js';

const schema = createSchema({
  typeDefs: 'type Query { hello: String, caller: String }',
  resolvers: { Query: { hello: () => 'world', caller: (_root, _args, context: { caller?: string }) => context.caller ?? null } },
});

/** Plugins that leave a trace of every hook they run and what they saw: context hooks first, then execute hooks. */
function tracingPlugins(trace: string[]): Plugin[] {
  const marked = (name: string, result: ExecutionResult): ExecutionResult => ({ ...result, extensions: { ...result.extensions, seen: [...((result.extensions?.seen as string[]) ?? []), name] } });
  return [
    {
      onContextBuilding({ context, extendContext }) {
        trace.push(`context sees ${JSON.stringify(Object.keys(context).sort())}`);
        extendContext({ caller: 'from a sync hook' } as never);
        return ({ context: built }) => void trace.push(`after context, caller ${(built as { caller?: string }).caller}`);
      },
    },
    {
      async onContextBuilding({ context, extendContext }) {
        await sleep(2);
        if ((context as { params?: { operationName?: string } }).params?.operationName === 'Broken') throw new Error('no context for you');
        extendContext({ caller: 'from an async hook' } as never);
      },
    },
    {
      onExecute({ executeFn, setExecuteFn }) {
        trace.push('wrapper execute');
        setExecuteFn(async (args) => marked('wrapped', (await executeFn(args)) as ExecutionResult));
        return {
          onExecuteDone({ result, setResult }) {
            trace.push('wrapper done');
            setResult(marked('done', result as ExecutionResult));
          },
        };
      },
    },
    {
      onExecute({ args, setResultAndStopExecution }) {
        trace.push('stopper execute');
        if (args.operationName === 'Refused') setResultAndStopExecution({ errors: [{ message: 'refused' } as never] });
      },
    },
    { onExecute: () => void trace.push('after the stopper') },
  ];
}

/** What a streamed result gave: its items in turn, or how it failed. */
async function drained(result: unknown): Promise<unknown> {
  if (!(typeof result === 'object' && result !== null && Symbol.asyncIterator in result)) return result;
  const items: unknown[] = [];
  for await (const item of result as AsyncIterable<unknown>) items.push(item);
  return { streamed: items };
}

/**
 * Runs `operationName` as the gateway's paths do, through envelop's own phases or directly, with
 * the tracing plugins and `extraPlugins` after them, or only `plugins` when given.
 */
async function run(direct: boolean, operationName: string, extraPlugins: Plugin[] = [], plugins?: (trace: string[]) => Plugin[]) {
  const trace: string[] = [];
  const installed = plugins ? plugins(trace) : [...tracingPlugins(trace), ...extraPlugins];
  const yoga = createYoga({ schema, logging: false, maskedErrors: true, plugins: executeHooksTogether(installed) });
  const initial = { params: { operationName } };
  const enveloped = yoga.getEnveloped(initial);
  // As yoga's error masking (maskedErrors: true) makes of a context that failed.
  const operations = new DirectOperations(yoga as never, (error) => maskError(error, 'Unexpected error.'));
  const outcome = async () => {
    const contextValue = await (direct ? operations.context(initial, enveloped as Enveloped) : enveloped.contextFactory());
    const args = { schema: enveloped.schema, document: parse(`query ${operationName} { hello caller }`), operationName, contextValue };
    return drained(await (direct ? operations.executorFor(enveloped as Enveloped)(args) : enveloped.execute(args)));
  };
  const answer = await outcome().then(
    (result) => ({ result }),
    (error: Error) => ({ failed: error.message }),
  );
  return { answer, trace };
}

/** Runs the operation both ways, and answers what envelop did, having checked that the direct run did the same. */
async function sameBothWays(operationName: string, plugins: (trace: string[]) => Plugin[]) {
  const throughEnvelop = await run(false, operationName, [], plugins);
  expect(await run(true, operationName, [], plugins)).toEqual(throughEnvelop);
  return throughEnvelop;
}

describe('operations run directly', () => {
  it('build the context and answer as envelop does: hooks in order, awaited, their after-callbacks, executors chained, onExecuteDone', async () => {
    const throughEnvelop = await run(false, 'Greeting');
    expect(throughEnvelop.answer).toEqual({ result: { data: { hello: 'world', caller: 'from an async hook' }, extensions: { seen: ['wrapped', 'done'] } } });
    expect(await run(true, 'Greeting')).toEqual(throughEnvelop);
  });

  it('stop at a hook that sets the result, as envelop does', async () => {
    const throughEnvelop = await run(false, 'Refused');
    expect(throughEnvelop.trace).not.toContain('after the stopper');
    expect(await run(true, 'Refused')).toEqual(throughEnvelop);
  });

  it('fail a context that a hook cannot build with the error envelop and its masking give, running no hook twice', async () => {
    const throughEnvelop = await run(false, 'Broken');
    expect(throughEnvelop.answer).toEqual({ failed: 'Unexpected error.' });
    expect(throughEnvelop.trace).toEqual(['context sees ["params"]']);
    expect(await run(true, 'Broken')).toEqual(throughEnvelop);
  });

  it('fail a context hook that fails once, though it would not fail again', async () => {
    const flaky = (trace: string[]): Plugin[] => {
      let calls = 0;
      return [{ onContextBuilding: () => void (trace.push('flaky'), calls++ === 0 && (() => { throw new Error('once'); })()) }];
    };
    const throughEnvelop = await sameBothWays('Greeting', flaky);
    expect(throughEnvelop).toEqual({ answer: { failed: 'Unexpected error.' }, trace: ['flaky'] });
  });

  it('stop building the context where a hook breaks it off, with no after-callbacks, as envelop does', async () => {
    const breaking = (trace: string[]): Plugin[] => [
      { onContextBuilding: () => () => void trace.push('after the first') },
      {
        onContextBuilding: ({ extendContext, breakContextBuilding }) => {
          extendContext({ caller: 'until the break' } as never);
          breakContextBuilding();
        },
      },
      { onContextBuilding: () => void trace.push('after the break') },
    ];
    const throughEnvelop = await sameBothWays('Greeting', breaking);
    expect(throughEnvelop).toEqual({ answer: { result: { data: { hello: 'world', caller: 'until the break' } } }, trace: [] });
  });

  it('fail a context whose hook answers something not callable, as envelop does', async () => {
    const throughEnvelop = await sameBothWays('Greeting', () => [{ onContextBuilding: () => 'not a callback' as never }]);
    // Unmasked at this level: envelop's context error handlers do not see an after-callback's failure.
    expect(throughEnvelop.answer).toEqual({ failed: 'afterCb is not a function' });
  });

  it('fail an operation whose execute hook throws or rejects, as envelop does', async () => {
    const failing = (how: 'throws' | 'rejects') => (trace: string[]): Plugin[] => [
      { onExecute: () => void trace.push('before') },
      {
        onExecute: () => {
          if (how === 'throws') throw new Error('hook threw');
          return Promise.reject(new Error('hook rejected'));
        },
      },
      { onExecute: () => void trace.push('after') },
    ];
    expect((await sameBothWays('Greeting', failing('throws'))).answer).toEqual({ failed: 'hook threw' });
    expect((await sameBothWays('Greeting', failing('rejects'))).answer).toEqual({ failed: 'hook rejected' });
  });

  it("give each execute hook the executor it was called with, and call onExecuteDone on what its hook answered, as envelop does", async () => {
    const wrapping = (trace: string[]): Plugin[] => [
      {
        // A wrapper that reads its own payload's executeFn when the operation runs: the one before it, not itself.
        onExecute(payload) {
          payload.setExecuteFn(async (args) => ({ ...((await payload.executeFn(args)) as ExecutionResult), extensions: { wrapped: true } }));
          return {
            label: 'its own answer',
            onExecuteDone(this: { label: string }) {
              trace.push(`done, this is ${this.label}`);
            },
          } as never;
        },
      },
    ];
    const throughEnvelop = await sameBothWays('Greeting', wrapping);
    expect(throughEnvelop).toEqual({
      answer: { result: { data: { hello: 'world', caller: null }, extensions: { wrapped: true } } },
      trace: ['done, this is its own answer'],
    });
  });

  it('map each item of a streamed result through onNext and call onEnd, each onNext seeing the result as set before it, as envelop does', async () => {
    const streaming = (trace: string[]): Plugin[] => [
      {
        onExecute: ({ setExecuteFn }) =>
          setExecuteFn(async function* () {
            yield { data: { hello: 'first' } };
            yield { data: { hello: 'second' } };
          } as never),
      },
      {
        onExecute: () => ({
          onExecuteDone: () => ({
            onNext: ({ result, setResult }) => {
              trace.push(`next saw ${JSON.stringify(result)}`);
              setResult({ ...(result as ExecutionResult), extensions: { marked: true } });
            },
            onEnd: () => void trace.push('end'),
          }),
        }),
      },
      {
        onExecute: () => ({
          onExecuteDone: () => ({ onNext: (payload) => void trace.push(`then saw ${JSON.stringify(payload.result)}`) }),
        }),
      },
    ];
    const throughEnvelop = await sameBothWays('Greeting', streaming);
    expect(throughEnvelop.answer).toEqual({
      result: {
        streamed: [
          { data: { hello: 'first' }, extensions: { marked: true } },
          { data: { hello: 'second' }, extensions: { marked: true } },
        ],
      },
    });
    expect(throughEnvelop.trace).toEqual([
      'next saw {"data":{"hello":"first"}}',
      'then saw {"data":{"hello":"first"},"extensions":{"marked":true}}',
      'next saw {"data":{"hello":"second"}}',
      'then saw {"data":{"hello":"second"},"extensions":{"marked":true}}',
      'end',
    ]);
  });

  it('leave both phases to envelop where a plugin instruments them', async () => {
    const instrumented = (seen: string[]): Plugin => ({
      instrumentation: {
        context: (_payload, wrapped) => (seen.push('context instrumented'), wrapped()),
        execute: (_payload, wrapped) => (seen.push('execute instrumented'), wrapped()),
      },
    });
    const seenThroughEnvelop: string[] = [];
    const throughEnvelop = await run(false, 'Greeting', [instrumented(seenThroughEnvelop)]);
    const seenDirectly: string[] = [];
    expect(await run(true, 'Greeting', [instrumented(seenDirectly)])).toEqual(throughEnvelop);
    expect(seenDirectly).toEqual(['context instrumented', 'execute instrumented']);
    expect(seenDirectly).toEqual(seenThroughEnvelop);
  });
});
