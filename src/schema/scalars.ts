import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';

function literalToValue(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.LIST:
      return node.values.map((value) => literalToValue(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalToValue(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
  }
}

builder.scalarType('JSON', {
  description:
    'Any JSON value: object, array, string, number, boolean or null, sent and answered as JSON itself (not as a string). ' +
    'In codegen, map it to unknown (or your own type of event data).',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => literalToValue(node, variables),
});

function toLong(value: unknown): number {
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new GraphQLError(`Long must be an integer within ±2^53, got ${JSON.stringify(value)}`);
  }
  return number;
}

builder.scalarType('Long', {
  description:
    'An integer serialised as a JSON number, exact within ±2^53 (Number.MAX_SAFE_INTEGER), so JavaScript clients can hold it: ' +
    'positions and microsecond times. In codegen, map it to number.',
  serialize: (value) => toLong(value),
  parseValue: (value) => toLong(value),
  parseLiteral: (node) => {
    if (node.kind !== Kind.INT) throw new GraphQLError('Long must be an integer literal');
    return toLong(node.value);
  },
});

builder.scalarType('DateTime', {
  description:
    'A point in time, serialised as an ISO 8601 string in UTC. The times of events and snapshots (created) carry microseconds, ' +
    'as their createdEpoch does (2026-12-01T14:41:25.123456Z); the cluster\'s times carry milliseconds (2026-12-01T14:41:25.123Z). ' +
    'In codegen, map it to string: Date.parse keeps only the milliseconds.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : value),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string');
    return date;
  },
});

/** Microseconds since the epoch as an ISO 8601 string that keeps all six digits: what `created` fields answer. */
export function isoWithMicroseconds(epochMicros: number): string {
  const millis = Math.floor(epochMicros / 1000);
  const micros = String(epochMicros % 1_000_000).padStart(6, '0');
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, `.${micros}Z`);
}
