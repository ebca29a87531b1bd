import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('..', import.meta.url));

/** How `npm start` and the Docker image run the gateway (package.json, Dockerfile), so the benchmark measures the same thing. */
const GATEWAY_NODE_FLAGS = ['--max-semi-space-size=64', '--no-allocation-site-pretenuring'];

/** Whether gateways run `dist/main.js`, as the Docker image does, instead of the sources under tsx. */
let compiled = false;

/**
 * Gateways started from now on run the compiled build, as the Docker image
 * runs it, built here once with `npm run build`. The sources under tsx cost
 * more CPU per request (tsx names every function it makes at run time), which
 * a deployment does not pay.
 */
export function runCompiledGateways(): void {
  if (compiled) return;
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  compiled = true;
}

/** Where in-process scenarios import the store's code from: the build when gateways run it, else the sources. */
export function storeCodeRoot(): string {
  return compiled ? '../dist' : '../src';
}
const GATEWAY_ENV = { NODE_ENV: 'production' };

/** Node flags that make each gateway started from now on write a CPU profile when it stops; none until `profileGateways`. */
let profileFlags: string[] = [];

/** Gateways started from now on write a V8 CPU profile (`--cpu-prof`) into `directory` when they stop, to open in Chrome's DevTools. */
export function profileGateways(directory: string): void {
  profileFlags = ['--cpu-prof', `--cpu-prof-dir=${directory}`];
}

/** The gateway as users run it: its own process, so the load generator does not share its event loop. */
export interface GatewayProcess {
  url: string;
  pid: number;
  /** Runs a full garbage collection in the gateway (through its inspector), so memory read next is what is live. */
  collectGarbage(): Promise<void>;
  /** What the gateway has printed so far, to explain a failed scenario. */
  output(): string;
  /** Settles when the process has exited, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Sends one Chrome DevTools Protocol command and waits for its answer. */
function devtoolsCommand(inspectorUrl: string, method: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(inspectorUrl);
    socket.once('open', () => socket.send(JSON.stringify({ id: 1, method })));
    socket.on('message', (message) => {
      if ((JSON.parse(message.toString()) as { id?: number }).id !== 1) return;
      socket.close();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** The OTLP endpoint of the sink gateways send their spans to, once `traceGateways` was called. */
let tracingSink: Promise<string> | undefined;

/**
 * Gateways started from now on trace every operation over OTLP/HTTP to a sink
 * in this process that drops what it gets, so that the bench measures what
 * tracing costs the gateway. Without it they trace nothing, whatever
 * OTEL_EXPORTER_OTLP_ENDPOINT the bench was started with.
 */
export function traceGateways(): void {
  tracingSink ??= new Promise((resolve) => {
    const sink = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    sink.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(sink.address() as AddressInfo).port}`));
    sink.unref();
  });
}

/** The environment's OTLP endpoints replaced by the sink's, or removed when tracing is off. */
async function tracingEnv(): Promise<NodeJS.ProcessEnv> {
  const { OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: _tracesEndpoint, ...inherited } = process.env;
  return tracingSink ? { ...inherited, OTEL_EXPORTER_OTLP_ENDPOINT: await tracingSink } : inherited;
}

export interface GatewayProcessOptions {
  env?: Record<string, string>;
  /** Opens the inspector on loopback, only so that memory can be read after a collection; never while timing. */
  inspect?: boolean;
}

/** Gateways started and not yet stopped, so that an interrupted bench stops them too. */
const running = new Set<ChildProcess>();
let stoppingAll = false;
/** A gateway that has not exited this long after SIGTERM is killed. */
const STOP_GRACE_MS = 10_000;

/** Stops every gateway still running, and refuses to start more: the scenario under way may still try. */
export function stopRunningGateways(): Promise<void> {
  stoppingAll = true;
  return Promise.all([...running].map(stopChild)).then(() => undefined);
}

/** SIGTERM, as an operator would; SIGKILL if it is still there after the grace period. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startGatewayProcess(databaseUrl: string, { env = {}, inspect = false }: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const entry = compiled ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const inspectFlags = inspect ? ['--inspect=127.0.0.1:0'] : [];
  return startServerProcess([...inspectFlags, ...entry], { ...(await tracingEnv()), ...GATEWAY_ENV, ...env, GATER_NODES: databaseUrl, PORT: '0', HOST: '127.0.0.1' }, inspect);
}

/**
 * The floor under the gateway's appends (`floor-server.ts`): the same store code, compiled
 * or not as the gateways are, behind a bare HTTP server, on the store `storeId` of `databaseUrl`.
 */
export function startFloorProcess(databaseUrl: string, storeId: string): Promise<GatewayProcess> {
  const entry = ['--import', 'tsx', 'bench/floor-server.ts', databaseUrl, storeId, compiled ? 'compiled' : 'sources'];
  return startServerProcess(entry, { ...process.env, ...GATEWAY_ENV }, false);
}

/** HTTP alone (`http-only-server.ts`): node:http parsing each body and answering a fixed result, storing nothing. */
export function startHttpOnlyProcess(): Promise<GatewayProcess> {
  return startServerProcess(['--import', 'tsx', 'bench/http-only-server.ts'], { ...process.env, ...GATEWAY_ENV }, false);
}

/** Starts a server process that prints "serving <url>" once it listens, with the gateway's node flags. */
async function startServerProcess(args: string[], env: NodeJS.ProcessEnv, inspect: boolean): Promise<GatewayProcess> {
  if (stoppingAll) throw new Error('the bench is stopping: no gateway is started');
  const child: ChildProcess = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, ...profileFlags, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('exit', () => running.delete(child));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving (http:\/\/\S+)/.exec(output);
      if (match && (!inspect || /Debugger listening on ws:/.test(output))) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`)));
  });
  const inspectorUrl = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
  return {
    url,
    pid: child.pid!,
    collectGarbage: () =>
      inspectorUrl
        ? devtoolsCommand(inspectorUrl, 'HeapProfiler.collectGarbage')
        : Promise.reject(new Error('start the gateway with inspect: true to collect its garbage')),
    output: () => output,
    exited,
    stop: () => stopChild(child),
  };
}
