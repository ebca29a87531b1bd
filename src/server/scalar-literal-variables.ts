import { BREAK, getNullableType, isScalarType, TypeInfo, visit, visitWithTypeInfo, type ASTNode, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * Whether a variable appears inside a literal of a scalar type, as in
 * `data: { amount: $amount }` for a JSON argument. graphql-jit parses such a
 * literal once, when it compiles the document, with no variables: every run
 * after would store the value with what the variables were missing as (a
 * key dropped, a null in a list). Such a document runs on graphql-js.
 */
export function variablesInScalarLiterals(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  const literal = () => {
    const type = typeInfo.getInputType();
    return type !== null && type !== undefined && isScalarType(getNullableType(type));
  };
  const enter = (node: ASTNode) => {
    if (!literal()) return undefined;
    found = holdsVariable(node);
    // What a scalar's literal holds has no types of its own to look at.
    return found ? BREAK : false;
  };
  visit(document, visitWithTypeInfo(typeInfo, { ObjectValue: { enter }, ListValue: { enter } }));
  return found;
}

function holdsVariable(node: ASTNode): boolean {
  let found = false;
  visit(node, {
    Variable: () => {
      found = true;
      return BREAK;
    },
  });
  return found;
}
