import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, skipBrowserTests, useChromium } from '../support/chromium.js';
import { PAGE_WAIT_MS, screenshot, shownNumber, textOf, waitForText, withPage } from '../support/dashboard-page.js';
import { consume, saveSubscription } from '../support/persistent.js';
import { BY_STREAM } from '../support/queries.js';
import { connectWs } from '../support/ws-client.js';
import { appendSuccess, newEvents, startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The operator's page at /dashboard, in real Chromium: it lists the nodes,
 * follows appends and a new persistent subscription without a reload, shows
 * when the gateway is gone and comes back with it.
 */
if (skipBrowserTests) console.warn(`dashboard: skipped: ${chromiumMissing}`);

describe.skipIf(skipBrowserTests)(skipBrowserTests ? `dashboard (skipped: ${chromiumMissing})` : 'the dashboard in Chromium', () => {
  const browser = useChromium();
  let gw: TestGateway;
  /** The first gateway, stopped in the test: its database outlives it, for the gateway started after it. */
  let first: TestGateway | undefined;

  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.stop();
    await first?.dropDatabase();
  });

  it('loads without console errors, lists the node, follows appends and a persistent subscription, and shows the gateway going away and coming back', async () => {
    await withPage(browser, async (page, errors) => {
      await appendSuccess(gw, { streamId: 'order-1', events: newEvents(2) });
      const response = await page.goto(`${gw.origin}/dashboard`);
      expect(response?.status()).toBe(200);

      // The cluster: this gateway's one node, HEALTHY, the leader.
      await waitForText(page, 'gater-cluster [data-cluster-status]', (text) => text === 'HEALTHY', 'the cluster status');
      expect(await page.locator('gater-cluster tr[data-node]').count()).toBe(1);
      expect(await page.locator('gater-cluster tr[data-node]').getAttribute('data-role')).toBe('LEADER');
      expect(await page.locator('gater-cluster tr[data-gateway]').count()).toBe(1);

      // The store, as the API answers it.
      const events = 'gater-stores tr[data-store="default"] [data-field="eventCount"]';
      await waitForText(page, events, (text) => shownNumber(text) === 2, 'the event count');
      expect(shownNumber(await textOf(page, 'gater-stores tr[data-store="default"] [data-field="headPosition"]'))).toBe(2);
      // Its own panel, which may render after the stores'.
      await waitForText(page, 'gater-subscriptions [data-live-kind="BY_STREAM"]', (text) => text === '0', 'no live subscription yet');
      await screenshot(page, 'loaded');

      // Appends and a persistent subscription made through the API show up without a reload.
      await saveSubscription(gw, { name: 'billing', type: 'BY_STREAM', selector: '$all', startFrom: 1 });
      await appendSuccess(gw, { streamId: 'order-2', events: newEvents(5) });
      await waitForText(page, events, (text) => shownNumber(text) === 7, 'the event count after the append');
      expect(shownNumber(await textOf(page, 'gater-stores tr[data-store="default"] [data-field="streamCount"]'))).toBe(2);
      await waitForText(page, 'gater-subscriptions tr[data-subscription="billing"] [data-field="lag"]', (text) => shownNumber(text) === 7, 'the new subscription and its lag');
      expect(await textOf(page, 'gater-subscriptions tr[data-subscription="billing"] [data-field="inFlightCount"]')).toBe('0');
      expect(await textOf(page, 'gater-subscriptions tr[data-subscription="billing"] [data-field="parkedCount"]')).toBe('0');
      await waitForText(page, 'gater-stores tr[data-store="default"] [data-field="appendRate"]', (text) => shownNumber(text) > 0, 'an append rate above 0');

      // A live subscriber and a consumer that does not ack: counted by kind, and in flight.
      const ws = await connectWs(gw);
      try {
        await ws.subscribeActive(BY_STREAM, { streamId: 'order-1' });
        const consumer = consume(ws, 'billing');
        await consumer.waitForEvents(1);
        await waitForText(page, 'gater-subscriptions [data-live-kind="BY_STREAM"]', (text) => text === '1', 'one live BY_STREAM subscription');
        await waitForText(page, 'gater-subscriptions tr[data-subscription="billing"] [data-field="inFlightCount"]', (text) => shownNumber(text) > 0, 'deliveries in flight');
        expect(await textOf(page, 'gater-subscriptions tr[data-subscription="billing"] [data-field="consumerCount"]')).toBe('1');
        expect(errors).toEqual([]);
        await screenshot(page, 'live');
      } finally {
        await ws.dispose();
      }
      await waitForText(page, 'gater-subscriptions [data-live-kind="BY_STREAM"]', (text) => text === '0', 'no live subscription once it ended');

      // The gateway stops: every panel says so, and keeps what it last showed.
      const port = new URL(gw.origin).port;
      const databaseUrl = gw.databaseUrl;
      first = gw;
      await first.stop({ keepDatabase: true });
      for (const panel of ['gater-cluster', 'gater-stores', 'gater-subscriptions']) {
        await expect.poll(() => page.locator(panel).getAttribute('connection-state'), { timeout: PAGE_WAIT_MS }).toBe('disconnected');
      }
      expect(await textOf(page, 'gater-cluster .state')).toContain('disconnected');
      expect(shownNumber(await textOf(page, events))).toBe(7);
      await screenshot(page, 'disconnected');

      // A gateway on the same address again: the page is live again without a reload.
      gw = await startTestGateway({ databaseUrl, env: { PORT: port } });
      await expect.poll(async () => (await fetch(`${gw.origin}/ready`)).status, { timeout: PAGE_WAIT_MS }).toBe(200);
      await appendSuccess(gw, { streamId: 'order-3', events: newEvents(1) });
      await waitForText(page, events, (text) => shownNumber(text) === 8, 'the event count after the gateway came back');
      expect(await page.locator('gater-cluster').getAttribute('connection-state')).toBe('live');
    });
  });

  it("fits a phone's width and a 255-character name: wide tables scroll inside their panels, long names are cut, the page never scrolls sideways", async () => {
    const name = `invoices-${'n'.repeat(246)}`;
    await saveSubscription(gw, { name, type: 'BY_STREAM', selector: `ledger-${'s'.repeat(248)}` });
    await withPage(browser, async (page, errors) => {
      const row = `gater-subscriptions tr[data-subscription="${name}"]`;
      const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
      for (const [width, shot] of [[1280, 'long-name'], [390, 'phone']] as const) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${gw.origin}/dashboard`);
        await waitForText(page, `${row} [data-field="lag"]`, (text) => text !== null, 'the subscription with the long name');
        expect(await pageWidth(), `the page's width at ${width} px`).toBeLessThanOrEqual(width);
        expect(await page.locator(`${row} td.name`).first().getAttribute('title')).toBe(name);
        await screenshot(page, shot);
      }
      // At desktop width the long name leaves room for the numbers beside it.
      await page.setViewportSize({ width: 1280, height: 800 });
      const lag = await page.locator(`${row} [data-field="lag"]`).boundingBox();
      expect(lag!.x + lag!.width).toBeLessThanOrEqual(1280);
      expect(errors).toEqual([]);
    });
  });
});
