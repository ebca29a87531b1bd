import { pino, stdSerializers, type DestinationStream, type Level, type Logger as Pino } from 'pino';
import pretty from 'pino-pretty';

/** Fields a log line carries besides its message: a request id, an operation name, a store. */
export type LogFields = Record<string, unknown>;

/** The levels `GATER_LOG_LEVEL` takes, from the most to the least said; `silent` says nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Where the gateway writes what operators should see. Only `info` and
 * `error` are required, so a test can pass a logger that collects lines.
 */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  error(message: string, cause?: unknown, fields?: LogFields): void;
  /** Refusals and limits. Default: written as info. */
  warn?(message: string, fields?: LogFields): void;
  /** One line per operation. Default: dropped. */
  debug?(message: string, fields?: LogFields): void;
  /** Whether debug lines are written, so a caller skips the work of making one. Default: whether `debug` is given. */
  debugEnabled?(): boolean;
  /** A logger whose lines all carry `bindings`. Default: this one, with `bindings` added to the fields of each line. */
  child?(bindings: LogFields): Logger;
}

/** A logger with every level, as the code that logs uses it. */
export interface FullLogger extends Logger {
  warn(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  debugEnabled(): boolean;
  child(bindings: LogFields): FullLogger;
}

/** Fills in what a small logger leaves out. */
export function fullLogger(log: Logger): FullLogger {
  if (isFull(log)) return log;
  const { info, error, warn = info, debug } = log;
  const withFields = (bindings: LogFields | undefined, fields: LogFields | undefined) => (bindings === undefined ? fields : { ...bindings, ...fields });
  const make = (bindings: LogFields | undefined): FullLogger => ({
    [FULL]: true,
    info: (message, fields) => info.call(log, message, withFields(bindings, fields)),
    error: (message, cause, fields) => error.call(log, message, cause, withFields(bindings, fields)),
    warn: (message, fields) => warn.call(log, message, withFields(bindings, fields)),
    debug: (message, fields) => debug?.call(log, message, withFields(bindings, fields)),
    debugEnabled: () => (log.debugEnabled ? log.debugEnabled() : debug !== undefined),
    child: (more) => make({ ...bindings, ...more }),
  }) as FullLogger;
  return make(undefined);
}

const FULL = Symbol('full logger');

function isFull(log: Logger): log is FullLogger {
  return (log as { [FULL]?: boolean })[FULL] === true;
}

/** Keys whose values never reach a line, wherever an error or a field carries them. */
const SECRET_KEYS = ['password', 'authorization', 'apiKey', 'token', 'secret', 'connectionString'];
const REDACT = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `err.*.${key}`]);

/** Log bytes held while stdout is slower than the gateway (a stuck pipe); past them lines are dropped, not memory taken. */
const MAX_UNWRITTEN_BYTES = 16 * 1024 * 1024;

export interface PinoLoggerOptions {
  /** Least severe level written. Default `info` (`GATER_LOG_LEVEL`). */
  level?: LogLevel;
  /** Where lines go. Default stdout: JSON lines, or readable ones when stdout is a terminal. */
  destination?: DestinationStream;
}

/**
 * The gateway's logger: pino, one JSON object a line (`time`, `level`,
 * `msg`, and the fields of the line) with errors and their causes on that
 * line (pino's err serializer). On a terminal, pino-pretty makes the same
 * lines readable.
 */
export function pinoLogger({ level = 'info', destination }: PinoLoggerOptions = {}): FullLogger {
  const stream = destination ?? (process.stdout.isTTY ? pretty({ sync: true, colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : undefined);
  const options = {
    level,
    base: undefined,
    // Operators read the level by name; pino's number stays in `levelValue` out of the way.
    formatters: { level: (label: string) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: stdSerializers.err },
    redact: { paths: REDACT, censor: '***' },
  };
  return adapt(pino(options, stream ?? pino.destination({ dest: 1, sync: false, maxLength: MAX_UNWRITTEN_BYTES })));
}

function adapt(p: Pino): FullLogger {
  return {
    [FULL]: true,
    info: (message, fields) => (fields ? p.info(fields, message) : p.info(message)),
    warn: (message, fields) => (fields ? p.warn(fields, message) : p.warn(message)),
    debug: (message, fields) => (fields ? p.debug(fields, message) : p.debug(message)),
    error: (message, cause, fields) => p.error(cause === undefined ? (fields ?? {}) : { ...fields, err: cause }, message),
    debugEnabled: () => p.isLevelEnabled('debug' satisfies Level),
    child: (bindings) => adapt(p.child(bindings)),
  } as FullLogger;
}

/** The logger used when none is given: pino at `info`, on stdout. */
export function consoleLogger(): FullLogger {
  return pinoLogger();
}

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };
