import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, skipBrowserTests, useChromium } from '../support/chromium.js';
import { PAGE_WAIT_MS, screenshot, shownNumber, waitForText, withPage } from '../support/dashboard-page.js';
import { saveSubscription } from '../support/persistent.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { appendSuccess, newEvents, startTestGateway, type TestGateway } from '../support/test-gateway.js';

const ENV = {
  GATER_PROBE_INTERVAL_MS: '200',
  GATER_PROBE_TIMEOUT_MS: '500',
  GATER_DOWN_AFTER_FAILURES: '2',
};

/** The dashboard over a primary and its streaming replica: the replica stops, and the page shows it DOWN and the cluster DEGRADED. */
if (skipBrowserTests) console.warn(`dashboard-cluster: skipped: ${chromiumMissing}`);

describe.skipIf(skipBrowserTests)(skipBrowserTests ? `dashboard cluster (skipped: ${chromiumMissing})` : 'the dashboard over a primary and a replica', () => {
  let cluster: PgCluster;
  let gw: TestGateway;
  const browser = useChromium();

  beforeAll(async () => {
    // The primary's commits do not wait for the replica, which this test stops.
    cluster = await startPgCluster({ synchronousCommit: 'on' });
    gw = await startTestGateway({ databaseUrl: cluster.nodes, env: ENV });
  });
  afterAll(async () => {
    await gw?.stop();
    await cluster?.destroy();
  });

  it('shows both nodes with their roles, then the stopped replica DOWN and the cluster DEGRADED', async () => {
    const replica = `gater-cluster tr[data-node="127.0.0.1:${cluster.replica.port}"]`;
    const primary = `gater-cluster tr[data-node="127.0.0.1:${cluster.primary.port}"]`;
    await withPage(browser, async (page, errors) => {
      await page.goto(`${gw.origin}/dashboard`);
      await waitForText(page, 'gater-cluster [data-cluster-status]', (text) => text === 'HEALTHY', 'a HEALTHY cluster');
      await expect.poll(() => page.locator(replica).getAttribute('data-role'), { timeout: PAGE_WAIT_MS }).toBe('REPLICA');
      expect(await page.locator(primary).getAttribute('data-role')).toBe('LEADER');
      expect(await page.locator(replica).getAttribute('data-health')).toBe('HEALTHY');
      // A replica's lag is a number of ms, the leader has none.
      expect(await page.locator(`${replica} td`).nth(4).textContent()).toMatch(/ms$/);
      expect(await page.locator(`${primary} td`).nth(4).textContent()).toBe('—');
      await screenshot(page, 'cluster-healthy');

      // Some traffic, each batch seen by the page before the next, for a chart with a shape (and the README's picture).
      await saveSubscription(gw, { name: 'billing', type: 'BY_STREAM', selector: '$all', startFrom: 1 });
      let total = 0;
      for (const size of [3, 8, 5, 12, 6, 9]) {
        await appendSuccess(gw, { streamId: `order-${total % 4}`, events: newEvents(size) });
        total += size;
        await waitForText(page, 'gater-stores tr[data-store="default"] [data-field="eventCount"]', (text) => shownNumber(text) === total, `${total} events`);
      }
      await waitForText(page, 'gater-subscriptions tr[data-subscription="billing"] [data-field="lag"]', (text) => shownNumber(text) === total, 'the lag of the subscription');
      await screenshot(page, 'overview');

      await cluster.replica.stop();
      await expect.poll(() => page.locator(replica).getAttribute('data-health'), { timeout: PAGE_WAIT_MS }).toBe('DOWN');
      await waitForText(page, 'gater-cluster [data-cluster-status]', (text) => text === 'DEGRADED', 'a DEGRADED cluster');
      expect(await page.locator(primary).getAttribute('data-health')).toBe('HEALTHY');
      expect(errors).toEqual([]);
      await screenshot(page, 'replica-down');
    });
  });
});
