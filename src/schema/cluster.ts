import { CLUSTER_STATUSES } from '../cluster/cluster-status.js';
import { NODE_HEALTHS, NODE_ROLES } from '../cluster/node-health.js';
import type { ClusterSnapshot, GatewayView, NodeView } from '../cluster/cluster-view.js';
import { clusterId, clusterNodes, clusterState, gatewayAddress, nodeAddress, nodeId, watchCluster } from '../resolvers/cluster.js';
import { builder } from './builder.js';

const NodeRole = builder.enumType('NodeRole', {
  description: 'What a node said it is at its last successful probe (pg_is_in_recovery()); UNKNOWN until it has answered once.',
  values: NODE_ROLES,
});

const NodeHealth = builder.enumType('NodeHealth', {
  description: 'HEALTHY: its last probe succeeded. SUSPECT: its last probe failed. DOWN: several probes in a row failed.',
  values: NODE_HEALTHS,
});

const ClusterStatus = builder.enumType('ClusterStatus', {
  description:
    'HEALTHY: one leader, every node healthy. DEGRADED: one leader, some node not healthy. ' +
    'UNAVAILABLE: no leader, writes fail. SPLIT_BRAIN: more than one node claims to lead, writes are refused.',
  values: CLUSTER_STATUSES,
});

const ClusterNodeType = builder.objectRef<NodeView>('ClusterNode').implement({
  description: 'A PostgreSQL server of the cluster, as this gateway probes it.',
  fields: (t) => ({
    id: t.id({
      description: 'host:port for admins; for other roles a stable name that does not give the address away.',
      resolve: (node, _args, ctx) => nodeId(ctx, node),
    }),
    address: t.string({
      nullable: true,
      description: 'Its URL, without credentials. Admins only: null, with a FORBIDDEN error, for other roles.',
      resolve: (node, _args, ctx) => nodeAddress(ctx, node),
    }),
    role: t.field({ type: NodeRole, resolve: (node) => node.role }),
    health: t.field({ type: NodeHealth, resolve: (node) => node.health }),
    latencyMs: t.exposeFloat('latencyMs', { nullable: true, description: 'Round trip of the last successful probe.' }),
    replicationLagMs: t.exposeFloat('replicationLagMs', {
      nullable: true,
      description: 'For a replica, how far its replay trails what it received; null for a leader.',
    }),
    lastSeen: t.field({ type: 'DateTime', nullable: true, description: 'When a probe last succeeded.', resolve: (node) => node.lastSeen }),
    startedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the server started (pg_postmaster_start_time()), for its uptime; null until it has answered a probe.',
      resolve: (node) => node.startedAt,
    }),
    embedded: t.exposeBoolean('embedded', { description: "True for the gateway's own embedded server." }),
  }),
});

const GatewayType = builder.objectRef<GatewayView>('Gateway').implement({
  description: 'A gateway of the cluster: this one, or one found by gossip.',
  fields: (t) => ({
    id: t.exposeID('id'),
    address: t.string({
      nullable: true,
      description: 'Its GraphQL endpoint. Admins only: null, with a FORBIDDEN error, for other roles.',
      resolve: (gateway, _args, ctx) => gatewayAddress(ctx, gateway),
    }),
    startedAt: t.field({ type: 'DateTime', resolve: (gateway) => gateway.startedAt }),
    lastSeen: t.field({ type: 'DateTime', description: 'When it was last heard from (now, for this one).', resolve: (gateway) => gateway.lastSeen }),
    self: t.exposeBoolean('self', { description: 'True for the gateway answering this request.' }),
    nodes: t.field({ type: [ClusterNodeType], description: 'The nodes as that gateway sees them.', resolve: (gateway) => gateway.nodes }),
  }),
});

const ClusterType = builder.objectRef<ClusterSnapshot>('Cluster').implement({
  description: 'The PostgreSQL nodes behind this gateway and the gateways beside it: one object per deployment.',
  fields: (t) => ({
    id: t.id({
      description: 'The same for as long as the cluster has the same nodes, so that a client cache keeps one Cluster.',
      resolve: (cluster, _args, ctx) => clusterId(ctx, cluster),
    }),
    status: t.field({ type: ClusterStatus, resolve: (cluster) => cluster.status }),
    leader: t.field({
      type: ClusterNodeType,
      nullable: true,
      description: 'The node that takes writes; null when there is none, or more than one.',
      resolve: (cluster) => cluster.leader,
    }),
    nodes: t.field({ type: [ClusterNodeType], resolve: (cluster) => cluster.nodes }),
    gateways: t.field({ type: [GatewayType], description: 'This gateway first, then the others.', resolve: (cluster) => cluster.gateways }),
  }),
});

builder.queryFields((t) => ({
  cluster: t.field({ type: ClusterType, resolve: (_root, _args, ctx) => clusterState(ctx) }),
  clusterNodes: t.field({ type: [ClusterNodeType], resolve: (_root, _args, ctx) => clusterNodes(ctx) }),
}));

builder.subscriptionFields((t) => ({
  clusterStatus: t.field({
    type: ClusterType,
    description: 'The cluster now, then again on every change of status, of a node\'s role or health, or of the gateways.',
    subscribe: (_root, _args, ctx) => watchCluster(ctx),
    resolve: (cluster: ClusterSnapshot) => cluster,
  }),
}));
