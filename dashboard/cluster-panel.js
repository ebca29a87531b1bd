import { html } from 'lit';
import { GaterPanel, define, formatDuration, formatMs, secondsSince } from './panel.js';

/** Only fields any reader may see: node and gateway addresses are for admins, and not needed here. */
export const CLUSTER_QUERY = /* GraphQL */ `
  query DashboardCluster {
    cluster {
      id
      status
      nodes { id role health latencyMs replicationLagMs startedAt lastSeen embedded }
      gateways { id self startedAt lastSeen }
    }
  }
`;

/** `<gater-cluster>`: the cluster's status, each node's role, health, latency, replication lag and uptime, and the gateways found by gossip. */
export class GaterCluster extends GaterPanel {
  static heading = 'Cluster';
  static properties = { cluster: { state: true } };

  reset() {
    this.cluster = undefined;
  }

  async refresh(connection) {
    return { cluster: (await this.ask(connection, CLUSTER_QUERY)).cluster };
  }

  renderBody() {
    const cluster = this.cluster;
    if (!cluster) return html`<p class="muted">…</p>`;
    return html`
      <p>Status <span class="badge" data-cluster-status=${cluster.status} data-value=${cluster.status}>${cluster.status}</span></p>
      <h3>Nodes</h3>
      <table>
        <thead><tr><th>Node</th><th>Role</th><th>Health</th><th>Latency</th><th>Replication lag</th><th>Uptime</th></tr></thead>
        <tbody>
          ${cluster.nodes.map(
            (node) => html`<tr data-node=${node.id} data-role=${node.role} data-health=${node.health}>
              <td class="name" title=${node.id}>${node.id}${node.embedded ? html` <span class="muted">(embedded)</span>` : ''}</td>
              <td>${node.role}</td>
              <td><span class="badge" data-value=${node.health}>${node.health}</span></td>
              ${node.health === 'DOWN'
                ? // What its last answer said is stale now: say when that was instead.
                  html`<td class="number">—</td><td class="number">—</td><td class="muted">${node.lastSeen ? `last seen ${formatDuration(secondsSince(node.lastSeen))} ago` : 'never seen'}</td>`
                : html`<td class="number">${formatMs(node.latencyMs)}</td>
                    <td class="number">${node.role === 'REPLICA' ? formatMs(node.replicationLagMs) : '—'}</td>
                    <td class="number">${formatDuration(secondsSince(node.startedAt))}</td>`}
            </tr>`,
          )}
        </tbody>
      </table>
      <h3>Gateways</h3>
      <table>
        <thead><tr><th>Gateway</th><th>Uptime</th><th>Last heard</th></tr></thead>
        <tbody>
          ${cluster.gateways.map(
            (gateway) => html`<tr data-gateway=${gateway.id}>
              <td class="name" title=${gateway.id}>${gateway.id}${gateway.self ? html` <span class="muted">(this one)</span>` : ''}</td>
              <td class="number">${formatDuration(secondsSince(gateway.startedAt))}</td>
              <td class="number">${gateway.self ? 'now' : `${formatDuration(secondsSince(gateway.lastSeen))} ago`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }
}

define('gater-cluster', GaterCluster);
