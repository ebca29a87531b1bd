import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, getNullableType, isListType, isObjectType, type GraphQLObjectType } from 'graphql';
import { gql, InMemoryCache } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import { typePolicies, unionTypes } from '../../examples/node-service/type-policies.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const objectTypes = Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'));

/** What Apollo's InMemoryCache stores as an entity of its own: the root query, and objects with a key. */
function isNormalised(type: GraphQLObjectType): boolean {
  const keyFields = typePolicies[type.name]?.keyFields;
  return type === schema.getQueryType() || (keyFields === undefined ? 'id' in type.getFields() : keyFields !== false);
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

  it("keep each gateway's view of a node apart in Apollo's cache", () => {
    const cache = new InMemoryCache({ possibleTypes: unionTypes, typePolicies });
    const query = gql`
      {
        cluster {
          id
          nodes { id health latencyMs }
          gateways { id nodes { id health latencyMs } }
        }
      }
    `;
    const node = (health: string, latencyMs: number) => ({ __typename: 'ClusterNode', id: '127.0.0.1:5432', health, latencyMs });
    const gateway = (id: string, health: string, latencyMs: number) => ({ __typename: 'Gateway', id, nodes: [node(health, latencyMs)] });
    const data = {
      cluster: {
        __typename: 'Cluster',
        id: 'cluster-1',
        nodes: [node('HEALTHY', 0.9)],
        gateways: [gateway('gateway-a', 'HEALTHY', 0.9), gateway('gateway-b', 'SUSPECT', 1200)],
      },
    };
    cache.writeQuery({ query, data });
    expect(cache.readQuery({ query })).toEqual(data);
  });
});
