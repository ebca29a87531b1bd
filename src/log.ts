/** Where the gateway writes what operators should see. */
export interface Logger {
  info(message: string): void;
  error(message: string, cause?: unknown): void;
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? `${cause.name}: ${cause.message}`;
  return String(cause);
}

export function consoleLogger(prefix = 'gater'): Logger {
  return {
    info: (message) => console.log(`[${prefix}] ${message}`),
    error: (message, cause) => console.error(`[${prefix}] ${message}${cause === undefined ? '' : `\n${describe(cause)}`}`),
  };
}

export const silentLogger: Logger = { info: () => undefined, error: () => undefined };
