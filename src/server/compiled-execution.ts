import { execute, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { asGraphQLJsResult } from './jit-result.js';
import { perOperation } from './per-operation.js';
import { variablesInScalarLiterals } from './scalar-literal-variables.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Runs of a document before it is compiled. Compiling takes milliseconds,
 * a thousand times what running a small operation once does, so only what
 * runs again and again is compiled: a client sending a new document with
 * every request makes the gateway compile nothing.
 */
export const RUNS_BEFORE_COMPILING = 10;

interface Operation {
  runs: number;
  /** `null` where graphql-jit could not compile it. */
  compiled?: CompiledQuery | null;
}

/** How often each operation ran, and what it compiled to. */
const operationOf = perOperation((): Operation => ({ runs: 0 }));

/** The compiled operation, once it has run often enough; null until then, or where it cannot be compiled. */
function compiled(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): CompiledQuery | null {
  const operation = operationOf(schema, document, operationName);
  if (operation.compiled !== undefined) return operation.compiled;
  if (++operation.runs < RUNS_BEFORE_COMPILING) return null;
  if (variablesInScalarLiterals(schema, document)) return (operation.compiled = null);
  const result = compileQuery(schema, document, operationName ?? undefined);
  operation.compiled = isCompiledQuery(result) ? result : null;
  return operation.compiled;
}

/**
 * Runs an operation as graphql-js's `execute` does, through a function
 * graphql-jit compiled from it once per parsed document (yoga's parser
 * cache hands the same document to every request of the same text), so a
 * request does not walk its selection and the schema anew. Until it has run
 * `RUNS_BEFORE_COMPILING` times, and where graphql-jit cannot compile it
 * or would compile it wrong (`variablesInScalarLiterals`), graphql-js runs it.
 *
 * Variables that do not fit their types are answered by graphql-js: its
 * messages name the input path that was wrong, which clients (and the
 * BAD_USER_INPUT codes) rely on. graphql-jit refuses the same variables
 * before any resolver runs, answering errors without data, so running
 * graphql-js then repeats nothing.
 */
export function compiledExecute(args: ExecutionArgs): Result {
  const query = compiled(args.schema, args.document, args.operationName);
  if (query === null) return execute(args);
  const result = runCompiled(query, args.rootValue, args);
  if (!(result instanceof Promise) && refusedVariables(result)) return execute(args);
  return result;
}

/** Runs the compiled operation on `root`, answering as graphql-js would. */
function runCompiled(query: CompiledQuery, root: unknown, args: ExecutionArgs): Result {
  const result = query.query(root, args.contextValue, args.variableValues as Record<string, unknown> | undefined) as Result;
  return result instanceof Promise ? result.then((settled) => asGraphQLJsResult(settled, args.document)) : asGraphQLJsResult(result, args.document);
}

function refusedVariables(result: ExecutionResult): boolean {
  return result.errors !== undefined && !('data' in result);
}

/**
 * How a subscription's selection is run on each event it delivers. A replay
 * of a million events runs it a million times; compiled, each run is one
 * function call. The compiled operation runs the subscription field's
 * resolver on the event, as graphql-js does with the event as root value.
 */
export class EventExecution {
  private query: CompiledQuery | null = null;

  constructor(private readonly args: ExecutionArgs) {}

  run(event: object): Result {
    const { args } = this;
    this.query ??= compiled(args.schema, args.document, args.operationName);
    if (this.query === null) return execute({ ...args, rootValue: event });
    return runCompiled(this.query, event, args);
  }
}
