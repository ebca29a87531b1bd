/** A problem starting the embedded node, worded as the one line an operator needs. */
export class EmbeddedNodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedNodeError';
  }
}

/** True when `error` carries one of `codes` (Node's errno codes, PostgreSQL's SQLSTATEs). */
export function isCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes(String((error as { code?: unknown }).code));
}

export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
  return error instanceof Error ? error.message : String(error);
}
