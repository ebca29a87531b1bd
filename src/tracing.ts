import {
  context,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * The tracer spans are made with, set while tracing is on (`startTracing`).
 * Unset, `traced` only calls its function: no span, no context switch.
 */
let tracer: Tracer | undefined;

/** A span that records nothing, handed to functions while tracing is off. */
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export function setTracer(next: Tracer | undefined): void {
  tracer = next;
}

export function tracingOn(): boolean {
  return tracer !== undefined;
}

export interface TracedOptions {
  attributes?: Attributes;
  /** The span's parent. Default: the span active where `traced` is called. */
  parent?: Context;
  /** Spans this one also belongs to (the other requests of a group-commit batch). */
  links?: Link[];
  /** Default INTERNAL. */
  kind?: SpanKind;
}

/** Longest status message kept: a failure's message may quote what it failed on. */
const MAX_MESSAGE_CHARS = 500;

/** The kind of failure, low in cardinality: a code the error carries, or its class. */
function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.constructor.name : typeof error;
}

function recordFailure(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message.slice(0, MAX_MESSAGE_CHARS) });
  span.setAttribute('error.type', errorType(error));
}

/**
 * Runs `fn` in a span of its own, a child of the active span, which is
 * active while `fn` runs so that what it calls is a child of it in turn.
 * A rejection marks the span as failed. While tracing is off, it only calls `fn`.
 */
export function traced<T>(name: string, fn: (span: Span) => Promise<T>, options: TracedOptions = {}): Promise<T> {
  if (!tracer) return fn(NOT_RECORDING);
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links }, parent);
  let running: Promise<T>;
  try {
    running = context.with(trace.setSpan(parent, span), fn, undefined, span);
  } catch (error) {
    recordFailure(span, error);
    span.end();
    return Promise.reject(error);
  }
  return running.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      recordFailure(span, error);
      span.end();
      throw error;
    },
  );
}

/** The active span (the operation's, inside a resolver), or one that records nothing. */
export function activeSpan(): Span {
  return (tracer && trace.getActiveSpan()) || NOT_RECORDING;
}
