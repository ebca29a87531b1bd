import { setTimeout as sleep } from 'node:timers/promises';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { maskEndpoint } from './masked-url.js';
import { OncePerInterval } from './once-per-interval.js';
import { setTracer } from './tracing.js';

export interface Tracing {
  /** Sends the spans still held, then stops; a no-op when tracing is off. */
  stop(): Promise<void>;
}

/** Longest attribute value kept, unless OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT says otherwise: spans are held in memory until sent. */
const ATTRIBUTE_VALUE_LENGTH_LIMIT = 1024;

/**
 * How long a stop waits to send the spans still held. The exporter retries a
 * collector that cannot be reached for longer than a stop should take.
 */
const FLUSH_ON_STOP_MS = 3_000;

/** A collector that cannot be reached fails every export: one line a minute says so. */
const EXPORT_FAILURE_LOG_INTERVAL_MS = 60_000;

/** Longest failure quoted in the log. */
const MAX_FAILURE_CHARS = 300;

/** The SDK reports an exception as its JSON (stack first): its message, and its code (an HTTP status) if any. */
function describeSdkError(message: string): string {
  try {
    const parsed = JSON.parse(message) as { message?: unknown; code?: unknown } | null;
    if (typeof parsed?.message === 'string') return parsed.code === undefined ? parsed.message : `${parsed.message} (${String(parsed.code)})`;
  } catch {
    // Not an exception's JSON: the message as it is.
  }
  return message;
}

/** The SDK's own errors (failed exports, above all) as rate-limited log lines; nothing below an error. */
function logSdkErrors(log: (line: string) => void): void {
  const once = new OncePerInterval(EXPORT_FAILURE_LOG_INTERVAL_MS);
  const ignore = () => undefined;
  diag.setLogger(
    {
      error: (message: string, ...args: unknown[]) => {
        const admitted = once.admit('sdk error');
        if (!admitted) return;
        const text = [describeSdkError(message), ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(' ');
        log(`tracing: the OpenTelemetry SDK failed, spans may be lost: ${text.slice(0, MAX_FAILURE_CHARS)}${OncePerInterval.suffix(admitted)}`);
      },
      warn: ignore,
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    DiagLogLevel.ERROR,
  );
}

/** The OTLP endpoint spans go to, or undefined when tracing is off (the standard variables of the OpenTelemetry SDK). */
export function tracesEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER?.trim() === 'none') return undefined;
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
}

/** Where spans are posted: the traces endpoint as given, or the endpoint's `/v1/traces`, as the OTLP specification has it. */
function tracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/**
 * Starts sending spans over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set. The SDK and the exporter are
 * loaded only then, so that a gateway without tracing carries none of it:
 * its code sees only `@opentelemetry/api`, whose tracer does nothing. The
 * exporter, batching and sampling read the other standard variables
 * (`OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_BSP_*`, `OTEL_TRACES_SAMPLER`, ...)
 * themselves; the service is named by `OTEL_SERVICE_NAME`, default `gater`.
 */
/** Where tracing's lines go: what it does at info, spans lost at warn. */
export interface TracingLog {
  info(line: string): void;
  warn(line: string): void;
}

export async function startTracing(env: NodeJS.ProcessEnv, log: TracingLog): Promise<Tracing> {
  const endpoint = tracesEndpoint(env);
  if (!endpoint) return { stop: async () => undefined };
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { AsyncLocalStorageContextManager }, { detectResources, envDetector, resourceFromAttributes }, { W3CTraceContextPropagator }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/core'),
    ]);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) name the service over the default.
  const resource = resourceFromAttributes({ 'service.name': 'gater' }).merge(detectResources({ detectors: [envDetector] }));
  const lengthSet = env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT || env.OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT;
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(env) }))],
    ...(lengthSet ? {} : { spanLimits: { attributeValueLengthLimit: ATTRIBUTE_VALUE_LENGTH_LIMIT } }),
  });
  logSdkErrors((line) => log.warn(line));
  // Store calls find the operation they serve through the async context, across awaits.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // A client's traceparent header makes its operation part of the client's trace.
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracer(provider.getTracer('gater'));
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol && protocol !== 'http/json') log.info(`tracing: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not offered; spans are sent as http/json, which collectors take on the same port as http/protobuf`);
  log.info(`tracing: spans go to ${maskEndpoint(tracesUrl(env)!)} over OTLP/HTTP as service ${String(resource.attributes['service.name'])}`);
  return {
    async stop() {
      setTracer(undefined);
      try {
        const flushed = await Promise.race([provider.shutdown().then(() => true), sleep(FLUSH_ON_STOP_MS, false, { ref: false })]);
        if (!flushed) log.warn(`tracing: the spans still held were not sent within ${FLUSH_ON_STOP_MS} ms of the stop; they are dropped`);
      } catch (error) {
        log.warn(`tracing: the spans still held could not be sent (${(error as Error).message}); they are dropped`);
      } finally {
        trace.disable();
        propagation.disable();
        context.disable();
        diag.disable();
      }
    },
  };
}
