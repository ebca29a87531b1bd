import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, skipBrowserTests, useChromium } from '../support/chromium.js';
import { screenshot, shownNumber, waitForText, withPage } from '../support/dashboard-page.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * A panel embedded in a plain page of another site, with one script tag and
 * one element: the site's origin is in GATER_CORS_ORIGINS, and the panel
 * finds the gateway from the URL of the module it came from.
 */
if (skipBrowserTests) console.warn(`dashboard-embed: skipped: ${chromiumMissing}`);

describe.skipIf(skipBrowserTests)(skipBrowserTests ? `dashboard embed (skipped: ${chromiumMissing})` : 'a dashboard panel embedded in another site', () => {
  let site: Server;
  let siteOrigin: string;
  let gatewayOrigin = '';

  beforeAll(async () => {
    site = createServer((req, res) => {
      if (req.url !== '/') return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Our ops page</title><link rel="icon" href="data:,"></head>
  <body>
    <h1>Our ops page</h1>
    <script type="module" src="${gatewayOrigin}/dashboard/gater-dashboard.js"></script>
    <gater-stores interval="500"></gater-stores>
  </body>
</html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    // Another origin than the gateway's: the same address, another port.
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  const gw = useGateway(() => ({ env: { GATER_CORS_ORIGINS: siteOrigin } }));
  afterAll(async () => {
    await new Promise((resolve) => site?.close(resolve));
  });
  // Registered after the site's hook, so the browser closes (with its connections to the site) before the site does.
  const browser = useChromium();

  it('renders the store panel with live data from the gateway', async () => {
    gatewayOrigin = gw.origin;
    await appendSuccess(gw, { streamId: 'order-1', events: newEvents(3) });
    await withPage(browser, async (page, errors) => {
      await page.goto(`${siteOrigin}/`);
      const events = 'gater-stores tr[data-store="default"] [data-field="eventCount"]';
      await waitForText(page, events, (text) => shownNumber(text) === 3, 'the event count in the embedded panel');
      await appendSuccess(gw, { streamId: 'order-1', events: newEvents(2) });
      await waitForText(page, events, (text) => shownNumber(text) === 5, 'the event count after an append');
      expect(await page.locator('gater-stores').getAttribute('connection-state')).toBe('live');
      expect(errors).toEqual([]);
      await screenshot(page, 'embedded');
    });
  });
});
