import { parse, type ExecutionResult } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
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

/** Runs `operationName` as the gateway's paths do, through envelop's own phases or directly. */
async function run(direct: boolean, operationName: string, extraPlugins: Plugin[] = []) {
  const trace: string[] = [];
  const yoga = createYoga({ schema, logging: false, maskedErrors: true, plugins: executeHooksTogether([...tracingPlugins(trace), ...extraPlugins]) });
  const initial = { params: { operationName } };
  const enveloped = yoga.getEnveloped(initial);
  const operations = new DirectOperations(yoga as never);
  const outcome = async () => {
    const contextValue = await (direct ? operations.context(initial, enveloped as Enveloped) : enveloped.contextFactory());
    const args = { schema: enveloped.schema, document: parse(`query ${operationName} { hello caller }`), operationName, contextValue };
    return direct ? operations.executorFor(enveloped as Enveloped)(args) : enveloped.execute(args);
  };
  const answer = await outcome().then(
    (result) => ({ result }),
    (error: Error) => ({ failed: error.message }),
  );
  return { answer, trace };
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

  it('fail a context that a hook cannot build with the error envelop and its masking give', async () => {
    const throughEnvelop = await run(false, 'Broken');
    expect(throughEnvelop.answer).toEqual({ failed: 'Unexpected error.' });
    expect((await run(true, 'Broken')).answer).toEqual(throughEnvelop.answer);
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
