/** No node can serve the request: no leader, two leaders, or no node fit for reads. */
export class ClusterUnavailableError extends Error {
  constructor(
    message: string,
    /** What a client may be told: the message without node addresses and driver errors, which are for the log. Default: the message. */
    readonly clientMessage: string = message,
  ) {
    super(message);
    this.name = 'ClusterUnavailableError';
  }
}

/**
 * True for a failure of the cluster rather than of the request: nothing could be sent, or what
 * was sent may be stored. Sending the requests of a failed batch again one by one cannot help.
 */
export function isClusterFault(error: unknown): boolean {
  return error instanceof ClusterUnavailableError || error instanceof WriteOutcomeUnknownError;
}

/**
 * A write was sent to the leader but its answer never came (connection lost,
 * no synchronous standby to confirm it, past the write timeout): it may or
 * may not be stored. Resending it with the same event ids is safe.
 */
export class WriteOutcomeUnknownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteOutcomeUnknownError';
  }
}
