/** No node can serve the request: no leader, two leaders, or no node fit for reads. */
export class ClusterUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterUnavailableError';
  }
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
