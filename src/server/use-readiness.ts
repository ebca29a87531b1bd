import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Cluster } from '../cluster/cluster.js';

/** GET /ready: 200 when the leader is reachable and takes writes, else 503. */
export function useReadiness(cluster: Cluster): Plugin {
  return useReadinessCheck({ endpoint: '/ready', check: () => cluster.ready() });
}
