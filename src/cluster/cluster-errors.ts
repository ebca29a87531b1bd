/** No node can serve the request: no leader, two leaders, or no node fit for reads. */
export class ClusterUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterUnavailableError';
  }
}
