import { LitElement, css, html } from 'lit';
import './cluster-panel.js';
import './stores-panel.js';
import './subscriptions-panel.js';
import { define } from './panel.js';

export { GaterCluster } from './cluster-panel.js';
export { GaterStores } from './stores-panel.js';
export { GaterSubscriptions } from './subscriptions-panel.js';

const KEY_ITEM = 'gater-dashboard-api-key';

/**
 * `<gater-dashboard>`: the three panels, with a field for an API key (kept
 * for the browser tab's session only). Attributes `gateway`, `api-key` and
 * `interval` are handed to the panels.
 */
export class GaterDashboard extends LitElement {
  static properties = {
    gateway: { type: String },
    apiKey: { type: String, attribute: 'api-key' },
    interval: { type: Number },
  };

  static styles = css`
    :host {
      display: block;
      font: 14px/1.4 system-ui, sans-serif;
      color: #1d2330;
      background: #f1f3f7;
      min-height: 100vh;
      padding: 16px 24px;
      box-sizing: border-box;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 16px;
      margin-bottom: 16px;
    }
    h1 {
      font-size: 20px;
      margin: 0;
      flex: 1;
    }
    form {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    input {
      font: inherit;
      padding: 4px 8px;
      border: 1px solid #c3c9d4;
      border-radius: 4px;
      width: 220px;
      max-width: 100%;
      min-width: 0;
    }
    button {
      font: inherit;
      padding: 4px 12px;
    }
    .panels {
      display: grid;
      gap: 16px;
    }
    /* A grid item is as wide as its content by default: a wide table would widen the page. */
    .panels > * {
      min-width: 0;
    }
    @media (max-width: 600px) {
      :host {
        padding: 12px;
      }
    }
  `;

  constructor() {
    super();
    this.interval = 1000;
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this.apiKey) this.apiKey = sessionStorage.getItem(KEY_ITEM) ?? '';
  }

  useKey(event) {
    event.preventDefault();
    const key = new FormData(event.target).get('key')?.toString().trim() ?? '';
    if (key) sessionStorage.setItem(KEY_ITEM, key);
    else sessionStorage.removeItem(KEY_ITEM);
    this.apiKey = key;
  }

  render() {
    return html`
      <header>
        <h1>Gater</h1>
        <form @submit=${this.useKey}>
          <label for="key">API key</label>
          <input id="key" name="key" type="password" autocomplete="off" placeholder="none" .value=${this.apiKey ?? ''} />
          <button type="submit">Use</button>
        </form>
      </header>
      <div class="panels">
        <gater-cluster .gateway=${this.gateway} .apiKey=${this.apiKey} .interval=${this.interval}></gater-cluster>
        <gater-stores .gateway=${this.gateway} .apiKey=${this.apiKey} .interval=${this.interval}></gater-stores>
        <gater-subscriptions .gateway=${this.gateway} .apiKey=${this.apiKey} .interval=${this.interval}></gater-subscriptions>
      </div>
    `;
  }
}

define('gater-dashboard', GaterDashboard);
