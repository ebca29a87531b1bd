import { LitElement, css, html, nothing } from 'lit';
import { connectionTo, release, webSocketUrl } from './connection.js';

const STATE_LABELS = {
  connecting: 'connecting…',
  live: 'live',
  disconnected: 'disconnected — reconnecting…',
  'needs-key': 'needs an API key',
  'key-refused': 'API key refused',
};

/** Polls are at least this far apart, and at most this: an embedding page cannot make a panel hammer the gateway. */
const MIN_INTERVAL_MS = 250;
const MAX_INTERVAL_MS = 60_000;

export const panelStyles = css`
  :host {
    display: block;
    font: 14px/1.4 system-ui, sans-serif;
    color: #1d2330;
  }
  section {
    background: #fff;
    border: 1px solid #d5dae3;
    border-radius: 8px;
    padding: 12px 16px;
    /* A table wider than the screen (a phone, many columns) scrolls inside its panel, not the page. */
    overflow-x: auto;
  }
  :host([connection-state='disconnected']) .body,
  :host([connection-state='connecting']) .body {
    opacity: 0.45;
  }
  header {
    display: flex;
    align-items: baseline;
    gap: 12px;
    margin-bottom: 8px;
  }
  h2 {
    font-size: 16px;
    margin: 0;
    flex: 1;
  }
  h3 {
    font-size: 13px;
    margin: 12px 0 4px;
    color: #4a5263;
  }
  /* The connection's state and a health value: a label tinted by how good it is. */
  .state,
  .badge {
    font-size: 12px;
    background: #e8ebf0;
  }
  .state {
    padding: 2px 8px;
    border-radius: 10px;
  }
  .badge {
    font-weight: 600;
    padding: 1px 6px;
    border-radius: 4px;
  }
  .state[data-state='live'],
  .badge[data-value='HEALTHY'] {
    background: #d8f3e0;
    color: #12632e;
  }
  .badge[data-value='SUSPECT'],
  .badge[data-value='DEGRADED'] {
    background: #fff0c2;
    color: #7a5300;
  }
  .state[data-state='disconnected'],
  .state[data-state='needs-key'],
  .state[data-state='key-refused'],
  .badge[data-value='DOWN'],
  .badge[data-value='UNAVAILABLE'],
  .badge[data-value='SPLIT_BRAIN'] {
    background: #fde2e1;
    color: #9b1c17;
  }
  .problem {
    color: #9b1c17;
    margin: 4px 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 4px 8px 4px 0;
    border-bottom: 1px solid #eef0f4;
    white-space: nowrap;
  }
  th {
    font-weight: 600;
    font-size: 12px;
    color: #4a5263;
  }
  td.number {
    font-variant-numeric: tabular-nums;
  }
  /* A name may be 255 characters: it is cut with an ellipsis, and shown whole on hover (its title). */
  td.name {
    max-width: 28ch;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .muted {
    color: #7a8294;
  }
`;

/**
 * What the panels share: the attributes `gateway` (the gateway's address;
 * default the one that served this module), `api-key` (sent as
 * connectionParams.authorization) and `interval` (ms between refreshes,
 * default 1000), a poll of the panel's queries over the shared graphql-ws
 * connection, and the connection's state, shown in the panel and reflected
 * in its `connection-state` attribute.
 */
export class GaterPanel extends LitElement {
  static properties = {
    gateway: { type: String },
    apiKey: { type: String, attribute: 'api-key' },
    interval: { type: Number },
    connectionState: { type: String, attribute: 'connection-state', reflect: true },
    problem: { state: true },
  };

  static styles = panelStyles;

  /** Subclasses: the panel's title. */
  static heading = '';

  constructor() {
    super();
    this.interval = 1000;
    this.connectionState = 'connecting';
    this.problem = undefined;
    this.generation = 0;
  }

  connectedCallback() {
    super.connectedCallback();
    this.restart();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.stop();
  }

  willUpdate(changed) {
    if (this.isConnected && (changed.has('gateway') || changed.has('apiKey')) && this.target() !== this.connectedTo) this.restart();
  }

  /** Which gateway and key the panel is to use. */
  target() {
    return `${webSocketUrl(this.gateway)}\n${this.apiKey || ''}`;
  }

  stop() {
    this.generation++;
    clearTimeout(this.timer);
    if (this.connection) {
      this.connection.removeEventListener('state', this.onState);
      release(this.connection);
    }
    this.connection = undefined;
    this.connectedTo = undefined;
  }

  restart() {
    this.stop();
    const generation = this.generation;
    this.connectedTo = this.target();
    this.connection = connectionTo(webSocketUrl(this.gateway), this.apiKey || undefined);
    this.onState = () => {
      this.connectionState = this.connection.state;
      // Back after an outage: refresh at once rather than at the next tick.
      if (this.connection.state === 'live') this.poll(generation);
    };
    this.connection.addEventListener('state', this.onState);
    this.connectionState = this.connection.state;
    this.reset();
    this.poll(generation);
  }

  async poll(generation) {
    // One poll at a time per connection; one still waiting on a connection given up does not hold up the new one.
    if (generation !== this.generation || this.pollingIn === generation) return;
    clearTimeout(this.timer);
    const connection = this.connection;
    if (connection.state === 'needs-key' || connection.state === 'key-refused') return;
    this.pollingIn = generation;
    try {
      const shown = await this.refresh(connection);
      // An answer for a gateway or key the panel no longer uses is dropped.
      if (generation === this.generation) Object.assign(this, shown, { problem: undefined });
    } catch (error) {
      if (generation === this.generation) this.problem = describe(error);
    } finally {
      if (this.pollingIn === generation) this.pollingIn = undefined;
    }
    if (generation !== this.generation) return;
    const every = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Number(this.interval) || 1000));
    this.timer = setTimeout(() => this.poll(generation), every);
  }

  /** Runs one query; its data, or an Error with the first GraphQL error's message. */
  async ask(connection, query, variables) {
    const result = await connection.query(query, variables);
    if (result.errors?.length) {
      const [first] = result.errors;
      const error = new Error(first.message);
      error.code = first.extensions?.code;
      throw error;
    }
    return result.data;
  }

  /** Subclasses: forget what was shown for another gateway or key. */
  reset() {}

  /** Subclasses: run the panel's queries; answers the properties to show. */
  async refresh(_connection) {
    return {};
  }

  /** Subclasses: the panel's content. */
  renderBody() {
    return nothing;
  }

  render() {
    const state = this.connectionState;
    return html`<section part="panel">
      <header>
        <h2>${this.constructor.heading}</h2>
        <span class="state" data-state=${state}>${STATE_LABELS[state] ?? state}</span>
      </header>
      ${state === 'needs-key'
        ? html`<p class="problem" data-problem="needs-key">This gateway needs an API key: give one to see its data.</p>`
        : state === 'key-refused'
          ? html`<p class="problem" data-problem="key-refused">The gateway refused this API key.</p>`
          : nothing}
      ${this.problem && state === 'live' ? html`<p class="problem" data-problem="error">${this.problem}</p>` : nothing}
      ${state === 'needs-key' || state === 'key-refused' ? nothing : html`<div class="body">${this.renderBody()}</div>`}
    </section>`;
  }
}

function describe(error) {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return error.map((each) => each.message).join('; ');
  if (error && typeof error.code === 'number') return `the connection closed (${error.code}${error.reason ? `: ${error.reason}` : ''})`;
  return String(error);
}

/** A duration in seconds, as people read it: 42 s, 5 min 3 s, 3 h 12 min, 2 d 4 h. */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** Seconds since an ISO time (or null). */
export function secondsSince(iso) {
  return iso ? (Date.now() - Date.parse(iso)) / 1000 : null;
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Defines a custom element once, so that two scripts importing the panels do not clash. */
export function define(name, element) {
  if (!customElements.get(name)) customElements.define(name, element);
}
