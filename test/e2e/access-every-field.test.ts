import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/index.js';
import { MUTATION_PERMISSIONS } from '../../src/server/use-mutation-access.js';
import { callerClient, refusals, ROLE_KEYS, ROLE_KEYS_ENV } from '../support/callers.js';
import { useGateway } from '../support/use-gateway.js';
import { connectWs } from '../support/ws-client.js';

/** The smallest value a required argument of this type takes, written as a GraphQL literal. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type));
    return `{ ${fields.map((field) => `${field.name}: ${literal(field.type)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return '"00000000-0000-4000-8000-000000000000"';
      case 'Int':
      case 'Long':
        return '1';
      case 'Boolean':
        return 'true';
      case 'JSON':
        return '{ a: 1 }';
      default:
        return '"every-field"';
    }
  }
  throw new Error(`no literal for ${String(type)}`);
}

/** A field with its required arguments, selecting `__typename` (or nothing, for a scalar). */
function call(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((arg) => isNonNullType(arg.type)).map((arg) => `${arg.name}: ${literal(arg.type)}`);
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${field.name}${args.length ? `(${args.join(', ')})` : ''}${selection}`;
}

const schema = buildSchema();
const fieldsOf = (operation: 'query' | 'mutation' | 'subscription') => {
  const type = operation === 'query' ? schema.getQueryType() : operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return Object.values(type!.getFields()).map((field) => [field.name, `${operation} { ${call(field)} }`] as const);
};

/**
 * Every root field, the ones added later included, must refuse a caller
 * without a credential: a field that reaches a store or the cluster any other
 * way than through the store door fails here.
 */
describe('every root field, without a credential where one is needed', () => {
  const gw = useGateway({ env: { GATER_API_KEYS: ROLE_KEYS_ENV } });

  it.each([...fieldsOf('query'), ...fieldsOf('mutation')])('%s is UNAUTHENTICATED', async (_name, operation) => {
    const response = await callerClient(gw, undefined).gql(operation);
    expect(refusals(response.errors)).toEqual([['UNAUTHENTICATED', undefined]]);
  });

  it.each(fieldsOf('subscription'))('subscription %s cannot even connect over graphql-ws', async () => {
    await expect(connectWs(gw)).rejects.toMatchObject({ code: 4403 });
  });

  it.each(fieldsOf('subscription'))('subscription %s is UNAUTHENTICATED over SSE', async (_name, operation) => {
    const response = await fetch(gw.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: operation }),
    });
    const body = await response.text();
    expect(body).toContain('"code":"UNAUTHENTICATED"');
    expect(body).not.toContain('"data":{');
  });
});

/**
 * A mutation of several fields is checked against its caller's role before any of them runs, by the
 * permissions the gateway lists for its fields: each must be the one the field's resolver asks for.
 */
describe('every mutation, asked alone by a reader, which may run none', () => {
  const gw = useGateway({ env: { GATER_API_KEYS: ROLE_KEYS_ENV } });

  it.each(fieldsOf('mutation'))('%s is refused for the permission the check before execution asks for', async (name, operation) => {
    const response = await callerClient(gw, ROLE_KEYS.reader).gql(operation);
    expect(refusals(response.errors)).toEqual([['FORBIDDEN', MUTATION_PERMISSIONS[name]]]);
  });
});
