import type { ClusterSnapshot, GatewayView, NodeView } from '../cluster/cluster-view.js';
import type { GatewayContext } from './context.js';
import { untilExpiry } from './until-expiry.js';

export function clusterState(ctx: GatewayContext): ClusterSnapshot {
  ctx.door.require('read');
  return ctx.cluster.snapshot();
}

export function clusterNodes(ctx: GatewayContext): NodeView[] {
  ctx.door.require('read');
  return ctx.cluster.snapshot().nodes;
}

/** The cluster now, then again on every change. */
export function watchCluster(ctx: GatewayContext): AsyncIterable<ClusterSnapshot> {
  return untilExpiry(ctx.door.require('read'), ctx.cluster.watch());
}

/**
 * One id for the cluster as long as its nodes are the same, so that a client's cache keeps one
 * Cluster object; keyed, so that a role that may not see node addresses cannot work them out from it.
 */
export function clusterId(ctx: GatewayContext, cluster: ClusterSnapshot): string {
  return ctx.cluster.opaqueClusterId(cluster.nodes.map((node) => node.id));
}

/** host:port for admins; for other roles a stable name that does not give the address away. */
export function nodeId(ctx: GatewayContext, node: NodeView): string {
  if (ctx.door.may('admin')) return node.id;
  return ctx.cluster.opaqueNodeId(node.id);
}

/** Internal addresses are for admins only: FORBIDDEN for other roles. */
export function nodeAddress(ctx: GatewayContext, node: NodeView): string {
  ctx.door.require('admin');
  return node.address;
}

export function gatewayAddress(ctx: GatewayContext, gateway: GatewayView): string {
  ctx.door.require('admin');
  return gateway.address;
}
