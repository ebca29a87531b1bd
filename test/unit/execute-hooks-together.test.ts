import type { ExecutionResult } from 'graphql';
import { parse, type ExecutionArgs } from 'graphql';
import { createSchema, createYoga, envelop, type Plugin } from 'graphql-yoga';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { executeHooksTogether } from '../../src/server/execute-hooks-together.js';

const schema = createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });

/** Plugins that each leave a trace of every hook they run, and of what they saw, in `trace`. */
function tracingPlugins(trace: string[]): Plugin[] {
  const marked = (name: string, result: ExecutionResult): ExecutionResult => ({ ...result, extensions: { ...result.extensions, seen: [...((result.extensions?.seen as string[]) ?? []), name] } });
  const recorder = (name: string): Plugin => ({
    onExecute() {
      trace.push(`${name} execute`);
      return {
        onExecuteDone({ result, setResult }) {
          trace.push(`${name} done, seen ${JSON.stringify((result as ExecutionResult).extensions?.seen ?? [])}`);
          setResult(marked(name, result as ExecutionResult));
        },
      };
    },
  });
  return [
    { onParse: () => void trace.push('parse') },
    recorder('first'),
    {
      // Wraps the executor the hooks before it chose, as a tracing plugin does.
      onExecute({ executeFn, setExecuteFn }) {
        trace.push('wrapper execute');
        setExecuteFn(async (args) => marked('wrapped', (await executeFn(args)) as ExecutionResult));
      },
    },
    {
      async onExecute({ args }) {
        await sleep(5);
        trace.push(`async execute, operation ${args.operationName}`);
      },
    },
    {
      onExecute({ args, setResultAndStopExecution }) {
        trace.push('stopper execute');
        if (args.operationName === 'Refused') setResultAndStopExecution({ errors: [{ message: 'refused' } as never] });
        return { onExecuteDone: () => void trace.push('stopper done') };
      },
    },
    recorder('after the stopper'),
  ];
}

async function run(together: boolean, operationName: string) {
  const trace: string[] = [];
  const plugins = tracingPlugins(trace);
  const yoga = createYoga({ schema, logging: false, plugins: together ? executeHooksTogether(plugins) : plugins });
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `query ${operationName} { hello }`, operationName }),
  });
  return { body: (await response.json()) as unknown, trace };
}

describe('onExecute hooks run together', () => {
  it('answer and run every hook as envelop does when each plugin keeps its own: executors chained, hooks awaited in order, onExecuteDone in order', async () => {
    const apart = await run(false, 'Greeting');
    expect(apart.body).toEqual({ data: { hello: 'world' }, extensions: { seen: ['wrapped', 'first', 'after the stopper'] } });
    expect(await run(true, 'Greeting')).toEqual(apart);
  });

  it('stop at a hook that sets the result, as envelop does: the hooks after it do not run, the onExecuteDone of those before it do', async () => {
    const apart = await run(false, 'Refused');
    expect(apart.trace).not.toContain('after the stopper execute');
    expect(apart.trace).toContain('stopper done');
    expect(await run(true, 'Refused')).toEqual(apart);
  });

  it('see each result of a streamed execution in order, each hook after the one before it, and its end', async () => {
    const streamed = async (together: boolean) => {
      const trace: string[] = [];
      const hooks = (name: string): Plugin => ({
        onExecute: () => ({
          onExecuteDone: () => ({
            onNext({ result, setResult }) {
              trace.push(`${name} next ${JSON.stringify(result.data)}`);
              setResult({ data: { ...result.data, [name]: true } });
            },
            onEnd: () => void trace.push(`${name} end`),
          }),
        }),
      });
      async function* twoResults(): AsyncGenerator<ExecutionResult> {
        yield { data: { n: 1 } };
        yield { data: { n: 2 } };
      }
      const streaming: Plugin = { onExecute: ({ setExecuteFn }) => setExecuteFn(twoResults as never) };
      const plugins = [hooks('first'), hooks('second')];
      const getEnveloped = envelop({ plugins: [streaming, ...(together ? executeHooksTogether(plugins) : plugins)] as never[] });
      const { execute, schema: envelopedSchema } = getEnveloped();
      const results = (await execute({ schema: envelopedSchema ?? schema, document: parse('{ hello }') } as ExecutionArgs)) as AsyncIterable<ExecutionResult>;
      for await (const result of results) trace.push(`got ${JSON.stringify(result.data)}`);
      return trace;
    };
    const apart = await streamed(false);
    expect(apart).toEqual([
      'first next {"n":1}',
      'second next {"n":1,"first":true}',
      'got {"n":1,"first":true,"second":true}',
      'first next {"n":2}',
      'second next {"n":2,"first":true}',
      'got {"n":2,"first":true,"second":true}',
      'first end',
      'second end',
    ]);
    expect(await streamed(true)).toEqual(apart);
  });

  it('leave one onExecute hook, and every plugin its other hooks', () => {
    const together = executeHooksTogether(tracingPlugins([]));
    expect(together.filter((plugin) => plugin.onExecute)).toHaveLength(1);
    expect(together.filter((plugin) => plugin.onParse)).toHaveLength(1);
  });
});
