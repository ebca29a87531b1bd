import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../src/cluster/embedded/free-tcp-port.js';
import { pollUntil } from '../support/cluster-queries.js';
import { runtimeStage, type RuntimeStage } from '../support/dockerfile.js';
import { isAlive, processTree } from '../support/process-tree.js';
import { appendSuccess, newEvents, postGraphQL, readStream } from '../support/test-gateway.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
/** The image's `node` user stands in as `nobody`: what matters is that the server does not run as root. */
const NON_ROOT = { uid: 65534, gid: 65534 };

/**
 * The image cannot be built here (no Docker engine), so this follows the
 * Dockerfile by hand: `npm run build` on a copy of the sources, then the
 * runtime stage's layout (dist/ and production dependencies only, no sources,
 * no tsx), started with the ENV and CMD read from the Dockerfile, as a user
 * that is not root, and checked with its own HEALTHCHECK, an append and a read.
 */
describe('the Docker image, its runtime steps run by hand', () => {
  let stage: RuntimeStage;
  let app: string;
  let dataDir: string;
  let server: ChildProcess | undefined;
  let output = '';
  let origin: string;
  const apiKey = randomBytes(24).toString('hex');

  beforeAll(async () => {
    stage = runtimeStage(await fs.readFile(path.join(REPO, 'Dockerfile'), 'utf8'));
    app = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-image-app-'));
    await fs.chmod(app, 0o755);
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-image-data-'));

    // The build stage: the sources and every dependency.
    for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts', 'public', 'dashboard']) {
      if (existsSync(path.join(REPO, entry))) await fs.cp(path.join(REPO, entry), path.join(app, entry), { recursive: true });
    }
    // Hard links: a copy of node_modules in a moment; the one file npm rewrites is copied for real.
    run('cp', ['-al', path.join(REPO, 'node_modules'), path.join(app, 'node_modules')]);
    await fs.rm(path.join(app, 'node_modules/.package-lock.json'));
    await fs.copyFile(path.join(REPO, 'node_modules/.package-lock.json'), path.join(app, 'node_modules/.package-lock.json'));
    await runAsync('npm', ['run', 'build'], app);

    // The runtime stage: `npm ci --omit=dev` (here: prune what is not a production dependency), dist/, and nothing else.
    for (const entry of ['src', 'scripts', 'tsconfig.json', 'tsconfig.build.json']) await fs.rm(path.join(app, entry), { recursive: true, force: true });
    await runAsync('npm', ['prune', '--omit=dev', '--offline', '--no-audit', '--no-fund'], app);
  }, 400_000);

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    if (app) await fs.rm(app, { recursive: true, force: true });
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('builds on Node 22, runs as a non-root user under tini, with node itself as the command', () => {
    expect(stage.base).toMatch(/^node:22[.-]/);
    expect(stage.user).toBeDefined();
    expect(stage.user).not.toMatch(/^(root|0)$/);
    expect(stage.entrypoint).toEqual(['/usr/bin/tini', '--']);
    expect(stage.cmd[0]).toBe('node');
    expect(stage.cmd.at(-1)).toBe('dist/main.js');
  });

  it('leaves tsx and esbuild out of the production dependencies, and dist/ imports neither, nor any package it would not have', async () => {
    expect(manifest.dependencies).not.toHaveProperty('tsx');
    expect(existsSync(path.join(app, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules/esbuild'))).toBe(false);
    const files = (await fs.readdir(path.join(app, 'dist'), { recursive: true })).filter((file) => file.endsWith('.js'));
    expect(files).toContain('main.js');
    const builtins = new Set(builtinModules);
    for (const file of files) {
      const code = await fs.readFile(path.join(app, 'dist', file), 'utf8');
      // TypeScript's own scanner finds static imports and import() of a literal name (dist/ is ESM).
      for (const { fileName: specifier } of ts.preProcessFile(code, true, false).importedFiles) {
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        expect(name, `${file} imports ${specifier}`).not.toMatch(/^(tsx|esbuild)$/);
        expect(manifest.dependencies, `${file} imports ${specifier}`).toHaveProperty([name]);
      }
    }
  });

  it('carries every file under src/ that is not TypeScript into dist/, for the server to read at run time', async () => {
    const assets = (await fs.readdir(path.join(REPO, 'src'), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.ts'))
      .map((entry) => path.relative(path.join(REPO, 'src'), path.join(entry.parentPath, entry.name)));
    for (const asset of assets) expect(existsSync(path.join(app, 'dist', asset)), asset).toBe(true);
  });

  it('starts with the ENV and CMD of the Dockerfile, and its HEALTHCHECK passes once /health answers', async () => {
    expect(stage.env).toMatchObject({ HOST: '0.0.0.0', GATER_DATA_DIR: '/data' });
    const port = await freeTcpPort();
    origin = `http://127.0.0.1:${port}`;
    await fs.chown(dataDir, NON_ROOT.uid, NON_ROOT.gid);
    const env = {
      PATH: process.env.PATH!,
      ...stage.env,
      // Where the container has its own port and its /data volume:
      PORT: String(port),
      GATER_DATA_DIR: dataDir,
      // It listens on every interface, so it starts only with a credential configured.
      GATER_API_KEYS: `${apiKey}:admin`,
    };
    const [command, ...args] = stage.cmd;
    server = spawn(command === 'node' ? process.execPath : command!, args, { cwd: app, env, ...NON_ROOT });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await pollUntil(
      async () => {
        if (server!.exitCode !== null) throw new Error(`node dist/main.js exited with ${server!.exitCode}:\n${output}`);
        return (await fetch(`${origin}/health`).catch(() => undefined))?.status === 200;
      },
      () => `/health to answer; output so far:\n${output}`,
      90_000,
    );
    const [healthCommand, ...healthArgs] = stage.healthcheck;
    const health = spawnSync(healthCommand === 'node' ? process.execPath : healthCommand!, healthArgs, { env, encoding: 'utf8' });
    expect(health.status, health.stderr).toBe(0);
  }, 120_000);

  it('serves the dashboard page and the modules it loads from the built layout', async () => {
    const page = await fetch(`${origin}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const modules = [...(await page.text()).matchAll(/src="([^"]+\.js)"/g)].map((match) => match[1]!);
    expect(modules.length).toBeGreaterThan(0);
    for (const module of modules) {
      const answer = await fetch(new URL(module, `${origin}/dashboard`));
      expect(answer.status, module).toBe(200);
      expect(answer.headers.get('content-type'), module).toMatch(/javascript/);
    }
  });

  it('appends and reads back with the API key, and refuses a request without one', async () => {
    const withKey = { gql: <T>(query: string, variables?: Record<string, unknown>) => postGraphQL<T>(`${origin}/graphql`, query, variables, { authorization: `Bearer ${apiKey}` }) };
    const appended = await appendSuccess(withKey, { streamId: 'image-1', events: newEvents(3) });
    expect((await readStream(withKey, 'image-1')).map((event) => event.id)).toEqual(appended.events.map((event) => event.id));
    const anonymous = await postGraphQL(`${origin}/graphql`, '{ stores { id } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('stops on SIGTERM (what tini passes on from docker stop) with its embedded PostgreSQL, and the HEALTHCHECK then fails', async () => {
    const pids = processTree(server!.pid!);
    expect(pids.length).toBeGreaterThan(2);
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
    await pollUntil(async () => pids.every((pid) => !isAlive(pid)), 'the embedded PostgreSQL to stop');
    const [healthCommand, ...healthArgs] = stage.healthcheck;
    const env = { PATH: process.env.PATH!, ...stage.env, PORT: new URL(origin).port };
    expect(spawnSync(healthCommand === 'node' ? process.execPath : healthCommand!, healthArgs, { env }).status).toBe(1);
  }, 60_000);
});

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

/** Asynchronous, so that the test's own timers keep running. */
function runAsync(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}
