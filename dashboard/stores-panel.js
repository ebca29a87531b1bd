import { html, svg } from 'lit';
import { GaterPanel, define } from './panel.js';

export const STORES_QUERY = /* GraphQL */ `
  query DashboardStores {
    stores { id streamCount eventCount headPosition }
  }
`;

/** How much history the append-rate chart keeps: the last minutes, and never more than this many samples per store. */
const MAX_SAMPLES = 600;

/**
 * `<gater-stores>`: each store's streams, events and head position, and its
 * append rate over the last minutes (attribute `minutes`, default 5), derived
 * from successive head positions: positions have no gaps, so the head moves
 * by exactly the events appended.
 */
export class GaterStores extends GaterPanel {
  static heading = 'Stores';
  static properties = { stores: { state: true }, minutes: { type: Number } };

  constructor() {
    super();
    this.minutes = 5;
  }

  reset() {
    this.stores = undefined;
    /** store id → [{ at (ms), head }] */
    this.history = new Map();
  }

  async refresh(connection) {
    const { stores } = await this.ask(connection, STORES_QUERY);
    const history = this.history;
    const now = Date.now();
    const windowMs = Math.min(60, Math.max(1, Number(this.minutes) || 5)) * 60_000;
    for (const store of stores) {
      const samples = history.get(store.id) ?? [];
      samples.push({ at: now, head: store.headPosition });
      while (samples.length > MAX_SAMPLES || (samples.length > 0 && samples[0].at < now - windowMs)) samples.shift();
      history.set(store.id, samples);
    }
    return { stores };
  }

  /** Events per second between successive samples. */
  rates(id) {
    const samples = this.history.get(id) ?? [];
    const rates = [];
    for (let index = 1; index < samples.length; index++) {
      const seconds = (samples[index].at - samples[index - 1].at) / 1000;
      rates.push({ at: samples[index].at, rate: seconds > 0 ? Math.max(0, samples[index].head - samples[index - 1].head) / seconds : 0 });
    }
    return rates;
  }

  chart(rates) {
    const width = 160;
    const height = 32;
    // Until the page has watched for the whole window, the chart spans what it has seen.
    const from = rates.length > 0 ? rates[0].at : 0;
    const span = Math.max(1, (rates.length > 0 ? rates[rates.length - 1].at : 0) - from);
    const top = Math.max(1, ...rates.map((each) => each.rate));
    const x = (at) => ((width * (at - from)) / span).toFixed(1);
    const y = (rate) => (height - 1 - ((height - 4) * rate) / top).toFixed(1);
    const line = rates.map((each) => `${x(each.at)},${y(each.rate)}`).join(' ');
    const area = rates.length > 1 ? `${x(from)},${height} ${line} ${x(rates[rates.length - 1].at)},${height}` : '';
    return svg`<svg width=${width} height=${height} viewBox="0 0 ${width} ${height}" role="img" aria-label="append rate, last ${this.minutes} minutes, up to ${top.toFixed(1)} events/s">
      <rect x="0" y="0" width=${width} height=${height} fill="#f4f6f9"></rect>
      <polygon points=${area} fill="#cfe0fb"></polygon>
      <polyline points=${line} fill="none" stroke="#2f6fdf" stroke-width="1.5"></polyline>
    </svg>`;
  }

  renderBody() {
    const stores = this.stores;
    if (!stores) return html`<p class="muted">…</p>`;
    return html`<table>
      <thead><tr><th>Store</th><th>Streams</th><th>Events</th><th>Head position</th><th>Append rate</th><th>Last ${this.minutes} min</th></tr></thead>
      <tbody>
        ${stores.map((store) => {
          const rates = this.rates(store.id);
          const latest = rates.length > 0 ? rates[rates.length - 1].rate : 0;
          return html`<tr data-store=${store.id}>
            <td class="name" title=${store.id}>${store.id}</td>
            <td class="number" data-field="streamCount">${store.streamCount.toLocaleString('en')}</td>
            <td class="number" data-field="eventCount">${store.eventCount.toLocaleString('en')}</td>
            <td class="number" data-field="headPosition">${store.headPosition.toLocaleString('en')}</td>
            <td class="number" data-field="appendRate">${latest.toFixed(1)}/s</td>
            <td>${this.chart(rates)}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }
}

define('gater-stores', GaterStores);
