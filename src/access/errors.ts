import { RefusalError } from '../refusal-error.js';

/** No credential where one is needed, or one that is not valid. */
export class UnauthenticatedError extends RefusalError {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnauthenticatedError';
  }
}

/** A valid credential whose role or scopes do not allow the operation. */
export class ForbiddenError extends RefusalError {
  constructor(
    message: string,
    /** What was missing: a permission (`write`), a store, or `all streams`. */
    readonly missing: string,
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
}
