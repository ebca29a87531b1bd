/**
 * Makes `make`'s errors without a stack trace. For errors that are a
 * client's answer (a refusal, an unknown name), whose stack nobody reads:
 * capturing and printing it was up to half of the gateway's CPU for a
 * refused request, which made refused requests the cheapest way to load it.
 */
export function withoutStack<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A failure that is the client's answer, not a fault of the gateway: made without a stack trace (see `withoutStack`). */
export class RefusalError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}
