import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, getNullableType, isListType, isObjectType, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { typePolicies } from '../../examples/node-service/type-policies.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const objectTypes = Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'));

/** What Apollo's InMemoryCache stores as an entity of its own: the root query, and objects with a key. */
function isNormalised(type: GraphQLObjectType): boolean {
  return type === schema.getQueryType() || typePolicies[type.name]?.keyFields !== undefined || 'id' in type.getFields();
}

describe("the examples' typePolicies, against schema.graphql", () => {
  it('key every type that lives in a store by its store as well', () => {
    const inAStore = objectTypes.filter((type) => 'store' in type.getFields()).map((type) => type.name);
    expect(inAStore.length).toBeGreaterThan(0);
    const unkeyed = inAStore.filter((name) => {
      const keyFields = typePolicies[name]?.keyFields;
      return !Array.isArray(keyFields) || !keyFields.includes('store');
    });
    expect(unkeyed).toEqual([]);
  });

  it("say how every list of objects on a cached entity is merged, so that a shorter answer warns of nothing", () => {
    const lists = objectTypes.filter(isNormalised).flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => isListType(getNullableType(field.type)) && isObjectType(getNamedType(field.type)))
        .map((field) => `${type.name}.${field.name}`),
    );
    expect(lists.length).toBeGreaterThan(0);
    const unmerged = lists.filter((list) => {
      const [typeName, fieldName] = list.split('.') as [string, string];
      const field = typePolicies[typeName]?.fields?.[fieldName];
      return typeof field !== 'object' || field.merge === undefined;
    });
    expect(unmerged).toEqual([]);
  });
});
