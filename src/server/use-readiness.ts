import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Cluster } from '../cluster/cluster.js';

/** GET /ready: 200 when the leader is reachable and takes writes, else 503; 503 too once the gateway is stopping (`stopping`). */
export function useReadiness(cluster: Cluster, stopping: () => boolean = () => false): Plugin {
  return useReadinessCheck({ endpoint: '/ready', check: async () => !stopping() && (await cluster.ready()) });
}
