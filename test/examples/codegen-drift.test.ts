import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('examples/generated', () => {
  it('is what codegen.ts makes of schema.graphql and the examples now (run `npm run codegen` after changing either)', async () => {
    const files = await generate({ ...config, cwd: root, silent: true }, false);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(await readFile(path.resolve(root, file.filename), 'utf8'), file.filename).toBe(file.content);
    }
  });
});
