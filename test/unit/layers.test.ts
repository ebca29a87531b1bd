import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs dependency-cruiser with the project's rules (.dependency-cruiser.cjs) over src/, as `npm run deps:check` does. */
async function violations(): Promise<string> {
  try {
    await promisify(execFile)('node_modules/.bin/depcruise', ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: root });
    return '';
  } catch (error) {
    const { stdout, message } = error as { stdout?: string; message: string };
    return stdout || message;
  }
}

describe('the layers of src/', () => {
  it('import only downwards (server → resolvers and schema → access → subscriptions → store → cluster → configuration and log), with no cycle', async () => {
    expect(await violations()).toBe('');
  }, 60_000);
});
