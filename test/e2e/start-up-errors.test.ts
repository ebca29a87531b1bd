import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `src/main.ts` as `npm start` does, with only the given environment, and answers its exit code and output. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts'],
      { cwd: root, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: child.exitCode ?? (error ? 1 : 0), output: `${stdout}${stderr}` }),
    );
  });
}

describe('start-up with a bad configuration', () => {
  it('prints one line naming the short cluster secret and the minimum, and exits 1', async () => {
    const { code, output } = await start({ EX_ESDB_CLUSTER_SECRET: 'too-short' });
    expect(code).toBe(1);
    expect(output.trimEnd().split('\n')).toEqual([expect.stringMatching(/^gater: EX_ESDB_CLUSTER_SECRET: .*at least 16 bytes/)]);
    expect(output).not.toContain('too-short');
  });

  it('prints one line for a bad node URL, with its password masked', async () => {
    const { code, output } = await start({ GATER_NODES: 'postgres://gater:s3cret-pw@db-host:70000/events' });
    expect(code).toBe(1);
    expect(output.trimEnd().split('\n')).toEqual(['gater: GATER_NODES: "postgres://gater:***@db-host:70000/events" is not a URL (or its port is not between 1 and 65535)']);
  });

  it('refuses, in one line, to serve another machine with no credential configured', async () => {
    const { code, output } = await start({ HOST: '0.0.0.0', GATER_NODES: 'postgres://gater:s3cret-pw@db-host:5432/events' });
    expect(code).toBe(1);
    expect(output.trimEnd().split('\n')).toEqual([
      'gater: HOST: 0.0.0.0 is reachable from other machines and no credential is configured: set GATER_API_KEYS, GATER_API_KEYS_FILE or a JWT setting, or GATER_ANONYMOUS_ROLE to serve requests without one',
    ]);
  });
});
