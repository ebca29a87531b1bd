import {
  getNamedType,
  getOperationAST,
  isInterfaceType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';
import { limitExceeded } from '../resolvers/errors.js';
import { fragmentsOf, refusedBeforeExecution } from './before-execution.js';
import { perOperation } from './per-operation.js';

type PageSizes = Pick<Limits, 'defaultPageSize' | 'maxPageSize'>;

/**
 * Counts the items an operation's connections (the fields that take `first`)
 * may answer: each one's `first`, its default when absent, once for every
 * item of the connections it is nested in. A fragment is counted once and
 * scaled where it is spread, so that spreading it many times costs no more
 * time than reading it.
 */
class PageItems {
  private readonly fragmentItems = new Map<string, number>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    /** What one connection field asks for. */
    private readonly firstOf: (field: FieldNode) => number,
  ) {}

  /** Items one selection set asks for, for one item of what holds it. */
  ofSelections(selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined): number {
    let items = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) items += this.ofField(selection, type);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
        items += this.ofSelections(selection.selectionSet, condition);
      } else items += this.ofFragment(selection.name.value);
    }
    return items;
  }

  private ofFragment(name: string): number {
    const known = this.fragmentItems.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    if (!fragment) return 0;
    // Validation refuses cycles before execution; should one get here, it adds nothing rather than looping.
    this.fragmentItems.set(name, 0);
    const items = this.ofSelections(fragment.selectionSet, this.schema.getType(fragment.typeCondition.name.value));
    this.fragmentItems.set(name, items);
    return items;
  }

  private ofField(field: FieldNode, parent: GraphQLNamedType | undefined): number {
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[field.name.value] : undefined;
    if (!definition) return 0;
    const inner = field.selectionSet ? this.ofSelections(field.selectionSet, getNamedType(definition.type)) : 0;
    if (!definition.args.some((arg) => arg.name === 'first')) return inner;
    const first = this.firstOf(field);
    return first + first * inner;
  }
}

/** What `first` asks for: the default when absent or null; a value the resolver refuses counts what it could be. */
function firstWith(variables: Record<string, unknown>, sizes: PageSizes) {
  return (field: FieldNode): number => {
    const arg = field.arguments?.find((candidate) => candidate.name.value === 'first');
    const value = arg ? valueFromASTUntyped(arg.value, variables) : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return sizes.defaultPageSize;
    return Math.min(Math.max(value, 0), sizes.maxPageSize);
  };
}

/** The page items of the operation that would run, with the variables given (or their defaults). */
export function pageItemsOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variableValues: Record<string, unknown> | null | undefined,
  sizes: PageSizes,
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const given = variableValues?.[name];
    variables[name] = given !== undefined ? given : definition.defaultValue && valueFromASTUntyped(definition.defaultValue);
  }
  const root = schema.getRootType(operation.operation) ?? undefined;
  return new PageItems(schema, fragmentsOf(document), firstWith(variables, sizes)).ofSelections(operation.selectionSet, root);
}

/** Whether the operation that would run has a connection anywhere: most (appends, single reads) have none, and cost nothing to weigh. */
const asksForPages = perOperation((schema, document, operationName) => {
  const operation = getOperationAST(document, operationName);
  if (!operation) return false;
  const root = schema.getRootType(operation.operation) ?? undefined;
  return new PageItems(schema, fragmentsOf(document), () => 1).ofSelections(operation.selectionSet, root) > 0;
});

/**
 * Refuses, before it runs, an operation whose connections may answer more
 * than `maxPageItems` items. Not a validation rule: `first` may come from
 * variables, which validation never sees and whose results yoga caches by
 * document. Not GraphQL Armor's cost limit either: it prices fields and
 * depth, not the page sizes that decide what a read costs here.
 */
export function usePageItemsBudget(limits: Pick<Limits, 'maxPageItems'> & PageSizes): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (!asksForPages(args.schema, args.document, args.operationName)) return;
      const items = pageItemsOf(args.schema, args.document, args.operationName, args.variableValues, limits);
      if (items <= limits.maxPageItems) return;
      const problem = `an operation may ask its connections for at most ${limits.maxPageItems} items (their first, ${limits.defaultPageSize} when absent), this one asks for ${items}`;
      setResultAndStopExecution(refusedBeforeExecution(limitExceeded('GATER_MAX_PAGE_ITEMS', problem)));
    },
  };
}
