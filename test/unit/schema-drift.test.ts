import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/index.js';

const schemaFile = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

describe('schema.graphql', () => {
  it('is, byte for byte, the sorted schema the code builds (run `npm run schema:print` after a schema change)', () => {
    const printed = `${printSchema(lexicographicSortSchema(buildSchema()))}\n`;
    expect(printed).toBe(readFileSync(schemaFile, 'utf8'));
  });
});
