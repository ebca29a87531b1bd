import {
  getNullableType,
  getOperationAST,
  isCompositeType,
  isLeafType,
  isListType,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { StoredJson, stringifyWithStoredJson } from '../store/stored-json.js';
import { perOperation } from './per-operation.js';

/** JSON of one value of the answer; throws NOT_AS_PLANNED when the value is not shaped as its selection says. */
type Writer = (value: unknown) => string;

/** Thrown by a writer that met a value its selection did not plan for: the answer is then made the general way. */
const NOT_AS_PLANNED = Symbol('not as planned');

function leaf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof StoredJson) return value.text;
      // A JSON scalar's value, parsed from a request or made by a resolver.
      const json = JSON.stringify(value) as string | undefined;
      if (json === undefined) throw NOT_AS_PLANNED;
      return json;
    }
    default:
      throw NOT_AS_PLANNED;
  }
}

function list(item: Writer): Writer {
  return (value) => {
    if (value === null) return 'null';
    if (!Array.isArray(value)) throw NOT_AS_PLANNED;
    let json = '[';
    for (let index = 0; index < value.length; index++) json += (index === 0 ? '' : ',') + item(value[index]);
    return `${json}]`;
  };
}

function object(fields: readonly { key: string; write: Writer }[]): Writer {
  const keys = fields.map(({ key }) => key);
  const prefixes = fields.map(({ key }, index) => `${index === 0 ? '{' : ','}${JSON.stringify(key)}:`);
  const writers = fields.map(({ write }) => write);
  return (value) => {
    if (value === null) return 'null';
    if (typeof value !== 'object') throw NOT_AS_PLANNED;
    const fieldsOf = value as Record<string, unknown>;
    let json = '';
    for (let index = 0; index < keys.length; index++) json += prefixes[index]! + writers[index]!(fieldsOf[keys[index]!]);
    return `${json}}`;
  };
}

function writerOf(type: GraphQLOutputType, selections: SelectionSetNode | undefined): Writer | null {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const item = writerOf(nullable.ofType as GraphQLOutputType, selections);
    return item && list(item);
  }
  if (isLeafType(nullable)) return leaf;
  if (isCompositeType(nullable) && selections) return selectionWriter(nullable, selections);
  return null;
}

/**
 * A writer for a selection made of fields only, each answered once: every
 * object it selects then holds those keys, in that order, whatever its
 * type. Fragments and directives (@skip, @include) can leave keys out, and
 * introspection is rare: those answers are made the general way (null).
 */
function selectionWriter(type: GraphQLCompositeType, selectionSet: SelectionSetNode): Writer | null {
  const fields: { key: string; write: Writer }[] = [];
  const seen = new Set<string>();
  const definitions = 'getFields' in type ? type.getFields() : {};
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0) return null;
    const key = selection.alias?.value ?? selection.name.value;
    if (seen.has(key)) return null;
    seen.add(key);
    const name = selection.name.value;
    if (name === '__typename') {
      fields.push({ key, write: leaf });
      continue;
    }
    const definition = definitions[name];
    if (!definition || name.startsWith('__')) return null;
    const write = writerOf(definition.type, selection.selectionSet);
    if (!write) return null;
    fields.push({ key, write });
  }
  return object(fields);
}

/** A result's JSON, made from its operation's selection; null where the operation's answers are made the general way. */
type ResultWriter = (result: ExecutionResult) => string | undefined;

const writerOfOperation = perOperation((schema, document, operationName): ResultWriter | null => {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  const data = root ? selectionWriter(root, operation.selectionSet) : null;
  if (!data) return null;
  return (result) => {
    for (const key in result) if (key !== 'data') return undefined;
    try {
      return `{"data":${data(result.data)}}`;
    } catch (error) {
      if (error === NOT_AS_PLANNED) return undefined;
      throw error;
    }
  };
});

/**
 * A result's JSON as `stringifyWithStoredJson` makes it, byte for byte, made
 * by a writer planned once per operation from its selection: the keys of each
 * object are known, so nothing walks them, and stored payloads are spliced in
 * as they are met. JSON.stringify, which the general way runs, cost a replay
 * more than anything else the gateway did per event.
 */
export function stringifyResult(result: ExecutionResult, schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): string {
  return writerOfOperation(schema, document, operationName)?.(result) ?? stringifyWithStoredJson(result);
}
