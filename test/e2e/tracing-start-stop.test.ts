import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { appendSuccess, dataOf, newEvents, readStream, startTestGateway } from '../support/test-gateway.js';
import { waitUntil } from '../support/ws-client.js';

const OTEL_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_BSP_SCHEDULE_DELAY', 'OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES'];
for (const name of OTEL_VARIABLES) delete process.env[name];

function loadedPackages(): string[] {
  return Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('@opentelemetry/'));
}

/** A log that keeps each line with its level in front: spans lost are a warning, what tracing does is info. */
function levelledLog(lines: string[]) {
  return {
    info: (line: string) => lines.push(`info ${line}`),
    warn: (line: string) => lines.push(`warn ${line}`),
    error: (line: string) => lines.push(`error ${line}`),
  };
}

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  for (const name of OTEL_VARIABLES) delete process.env[name];
  await receiver?.close();
});

// In this order: the first test needs a process where no gateway has loaded the SDK yet.
describe('a gateway with no OTLP endpoint', () => {
  it('loads no tracing SDK and records no span', async () => {
    const gw = await startTestGateway();
    try {
      const streamId = `untraced-${randomUUID()}`;
      await appendSuccess(gw, { streamId, events: newEvents(2) });
      expect(await readStream(gw, streamId)).toHaveLength(2);

      expect(loadedPackages().filter((path) => /sdk-trace|exporter-trace|context-async-hooks|@opentelemetry\/resources/.test(path))).toEqual([]);
      // Only the API's no-op tracer is there: no provider was registered.
      const probe = trace.getTracer('probe').startSpan('probe');
      expect(probe.isRecording()).toBe(false);
      probe.end();
    } finally {
      await gw.stop();
    }
  });
});

describe('a gateway with an OTLP endpoint', () => {
  it('sends the spans it still holds when it stops', async () => {
    receiver = await startOtlpReceiver();
    // No export on a timer within this test: only the stop sends.
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '3600000' });
    const gw = await startTestGateway();
    let stopped = false;
    try {
      dataOf(await gw.gql('query BeforeStop { stores { id } }'));
      expect(receiver.spans.map((span) => span.name)).not.toContain('query BeforeStop');
      await gw.stop();
      stopped = true;
      expect(receiver.spans.map((span) => span.name)).toContain('query BeforeStop');
      expect(receiver.spans.find((span) => span.name === 'query BeforeStop')?.service).toBe('gater');
      // Stopped, the gateway leaves the API as it found it: a later span records nothing.
      const probe = trace.getTracer('probe').startSpan('probe');
      expect(probe.isRecording()).toBe(false);
    } finally {
      if (!stopped) await gw.stop();
    }
  });

  it('stops without waiting long for a collector that does not answer, and says what it dropped', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const lines: string[] = [];
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, OTEL_BSP_SCHEDULE_DELAY: '3600000' });
    try {
      const gw = await startTestGateway({ log: levelledLog(lines) });
      dataOf(await gw.gql('query NeverSent { stores { id } }'));
      await gw.stop();
      expect(lines.filter((line) => line.includes('tracing:'))).toEqual([
        `info tracing: spans go to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces over OTLP/HTTP as service gater`,
        'warn tracing: the spans still held were not sent within 3000 ms of the stop; they are dropped',
      ]);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("shows no credential of the collector's address in its log line: neither a password nor a query parameter's value", async () => {
    receiver = await startOtlpReceiver();
    const endpoint = new URL(receiver.endpoint);
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://ingest:pw-123@${endpoint.host}/v1/traces?api_key=key-456&region=eu` });
    const lines: string[] = [];
    const gw = await startTestGateway({ log: { info: (line) => lines.push(line), error: (line) => lines.push(line) } });
    await gw.stop();
    const shown = lines.find((line) => line.startsWith('tracing: spans go to'));
    expect(shown).toBe(`tracing: spans go to http://ingest:***@${endpoint.host}/v1/traces?api_key=***&region=*** over OTLP/HTTP as service gater`);
  });

  it('says in the log when the collector refuses what it is sent', async () => {
    const refusing = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(400).end('not taken'));
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const lines: string[] = [];
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, OTEL_BSP_SCHEDULE_DELAY: '20' });
    const gw = await startTestGateway({ log: levelledLog(lines) });
    try {
      dataOf(await gw.gql('query Refused { stores { id } }'));
      await waitUntil(() => lines.some((line) => line === 'warn tracing: the OpenTelemetry SDK failed, spans may be lost: Bad Request (400)'), `a warning about the refused export (log: ${lines.join(' | ')})`);
    } finally {
      await gw.stop();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });
});
