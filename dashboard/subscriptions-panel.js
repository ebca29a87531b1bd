import { html } from 'lit';
import { GaterPanel, define } from './panel.js';

export const LIVE_QUERY = /* GraphQL */ `
  query DashboardLive {
    liveSubscriptions { kind count }
    stores { id }
  }
`;

/** Per store; the admin role may list persistent subscriptions. */
export const PERSISTENT_QUERY = /* GraphQL */ `
  query DashboardPersistent($store: ID) {
    persistentSubscriptions(store: $store) { name type selector checkpoint lag inFlightCount parkedCount consumerCount }
  }
`;

/**
 * `<gater-subscriptions>`: the live subscriptions this gateway serves, by
 * kind, and each persistent subscription with its lag behind the head, its
 * in-flight and parked counts (those need the admin role; without it the
 * panel says so and still shows the live ones).
 */
export class GaterSubscriptions extends GaterPanel {
  static heading = 'Subscriptions';
  static properties = { live: { state: true }, persistent: { state: true }, persistentProblem: { state: true } };

  reset() {
    this.live = undefined;
    this.persistent = undefined;
    this.persistentProblem = undefined;
  }

  async refresh(connection) {
    const { liveSubscriptions, stores } = await this.ask(connection, LIVE_QUERY);
    // Shown together, once every answer is in.
    let persistent;
    let persistentProblem;
    try {
      const lists = await Promise.all(
        stores.map(async (store) => (await this.ask(connection, PERSISTENT_QUERY, { store: store.id })).persistentSubscriptions.map((each) => ({ store: store.id, ...each }))),
      );
      persistent = lists.flat();
    } catch (error) {
      persistentProblem = error.message;
    }
    return { live: liveSubscriptions, persistent, persistentProblem };
  }

  renderBody() {
    if (!this.live) return html`<p class="muted">…</p>`;
    const total = this.live.reduce((sum, each) => sum + each.count, 0);
    return html`
      <h3>Live on this gateway: <span data-field="liveTotal">${total}</span></h3>
      <table>
        <thead><tr>${this.live.map((each) => html`<th>${each.kind}</th>`)}</tr></thead>
        <tbody><tr>${this.live.map((each) => html`<td class="number" data-live-kind=${each.kind}>${each.count}</td>`)}</tr></tbody>
      </table>
      <h3>Persistent</h3>
      ${this.persistentProblem
        ? html`<p class="muted" data-problem="persistent">${this.persistentProblem}</p>`
        : !this.persistent || this.persistent.length === 0
          ? html`<p class="muted">none</p>`
          : html`<table>
              <thead><tr><th>Name</th><th>Store</th><th>Selects</th><th>Lag</th><th>In flight</th><th>Parked</th><th>Consumers</th><th>Checkpoint</th></tr></thead>
              <tbody>
                ${this.persistent.map(
                  (each) => html`<tr data-subscription=${each.name} data-store=${each.store}>
                    <td class="name" title=${each.name}>${each.name}</td>
                    <td class="name" title=${each.store}>${each.store}</td>
                    <td class="name" title=${each.selector ? `${each.type} ${each.selector}` : each.type}>${each.type}${each.selector ? html` <span class="muted">${each.selector}</span>` : ''}</td>
                    <td class="number" data-field="lag">${each.lag.toLocaleString('en')}</td>
                    <td class="number" data-field="inFlightCount">${each.inFlightCount}</td>
                    <td class="number" data-field="parkedCount">${each.parkedCount}</td>
                    <td class="number" data-field="consumerCount">${each.consumerCount}</td>
                    <td class="number" data-field="checkpoint">${each.checkpoint.toLocaleString('en')}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
    `;
  }
}

define('gater-subscriptions', GaterSubscriptions);
