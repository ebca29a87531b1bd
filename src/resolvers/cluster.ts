import type { ClusterSnapshot, NodeView } from '../cluster/cluster-view.js';
import type { GatewayContext } from './context.js';

export function clusterState(ctx: GatewayContext): ClusterSnapshot {
  return ctx.cluster.snapshot();
}

export function clusterNodes(ctx: GatewayContext): NodeView[] {
  return ctx.cluster.snapshot().nodes;
}

/** The cluster now, then again on every change. */
export function watchCluster(ctx: GatewayContext): AsyncIterable<ClusterSnapshot> {
  return ctx.cluster.watch();
}
