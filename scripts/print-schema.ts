import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { buildSchema } from '../src/schema/index.js';

/** `--write` prints the sorted schema to schema.graphql; `--check` fails when the file has drifted from the code. */
const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const printed = `${printSchema(buildSchema())}\n`;

if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== printed) {
    console.error('schema.graphql is out of date: run `npm run schema:print`');
    process.exit(1);
  }
  console.log('schema.graphql matches the code');
} else {
  writeFileSync(target, printed);
  console.log(`wrote ${target}`);
}
